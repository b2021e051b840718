using Mapt.Apply;
using Mapt.Provisioning;
using Mapt.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace Mapt.Tests.Apply;

[TestClass]
public sealed class IptablesApplierTests
{
    [TestMethod]
    [DataRow("legacy")]
    [DataRow("nft")]
    public void Restore_BadLine_ApplyExceptionWithStderr_NothingApplied(string backend)
    {
        using var ns = Netns.Create("provapply");
        IptablesTools tools = IptablesTools.ByName(backend)!;
        var applier = new IptablesApplier(tools, NullLogger.Instance);
        const string Bad = "*nat\n:MAPT_POSTROUTING - [0:0]\n-A MAPT_POSTROUTING -j SNAT --to-source 192.0.2.18\n-A MAPT_POSTROUTING -j NO_SUCH_TARGET\nCOMMIT\n";
        using (ns.Enter())
        {
            var e = Assert.ThrowsExactly<ApplyException>(() => applier.Restore(IpFamily.Ipv4, Bad));
            StringAssert.Contains(e.Message, tools.Restore4 + " --noflush failed (exit status");
            StringAssert.Contains(e.Message, "Error occurred at line: ", "the restore's own message names the failing line");
            Assert.IsTrue(applier.Read(IpFamily.Ipv4).IsEmpty, "a failed restore applies nothing");
            applier.Teardown(IpFamily.Ipv4); // nothing installed: runs nothing, no error
        }
    }
}
