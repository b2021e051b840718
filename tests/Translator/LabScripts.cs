using System.IO;

namespace Mapt.Tests.Translator;

/// <summary>Small python programs the lab runs in its namespaces (python3 is a test-only tool).</summary>
internal static class LabScripts
{
    public const string Python = "/usr/bin/python3";

    /// <summary>Echoes every UDP datagram back: ADDR PORT.</summary>
    public const string UdpEcho = """
import socket, sys
fam = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
s = socket.socket(fam, socket.SOCK_DGRAM)
s.bind((sys.argv[1], int(sys.argv[2])))
while True:
    d, a = s.recvfrom(65535)
    s.sendto(d, a)
""";

    /// <summary>Sends SIZE bytes to HOST PORT [from SRCPORT], prints "LEN same" of the echo or "timeout".</summary>
    public const string UdpClient = """
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
if len(sys.argv) > 4:
    s.bind(('0.0.0.0', int(sys.argv[4])))
d = bytes(i % 251 for i in range(int(sys.argv[3])))
for _ in range(3):
    s.sendto(d, (sys.argv[1], int(sys.argv[2])))
    try:
        r, _ = s.recvfrom(65535)
        print(len(r), 'same' if r == d else 'different')
        break
    except socket.timeout:
        pass
else:
    print('timeout')
""";

    /// <summary>Counts the bytes of each TCP connection and answers with the count: ADDR PORT.</summary>
    public const string TcpSink = """
import socket, sys
fam = socket.AF_INET6 if ':' in sys.argv[1] else socket.AF_INET
s = socket.socket(fam)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], int(sys.argv[2])))
s.listen()
while True:
    c, _ = s.accept()
    n = 0
    while True:
        b = c.recv(65536)
        if not b:
            break
        n += len(b)
    c.sendall(str(n).encode())
    c.close()
""";

    /// <summary>Uploads SIZE bytes to HOST PORT, prints what the sink counted.</summary>
    public const string TcpUpload = """
import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=20)
s.sendall(bytes(i % 251 for i in range(int(sys.argv[3]))))
s.shutdown(socket.SHUT_WR)
print(s.recv(100).decode())
""";

    public static string Write(string dir, string name, string text)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
