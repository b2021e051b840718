/*
 * Benchmark baseline only: the work of `mapt calc` for one shared-address rule (RFC 7597
 * section 5, RFC 7599 section 6) in plain C, to put mapt's cold start beside a C program
 * doing the same. Not part of the product; no validation beyond what the bench gives it.
 *   mapcalc RULE6/N RULE4/R EA-LEN PSID-OFFSET PREFIX/LEN
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int split(const char *text, char *addr, size_t size, int *len)
{
    const char *slash = strchr(text, '/');
    if (!slash || (size_t)(slash - text) >= size)
        return -1;
    memcpy(addr, text, (size_t)(slash - text));
    addr[slash - text] = '\0';
    *len = atoi(slash + 1);
    return 0;
}

static uint64_t bits(const uint8_t *a, int from, int count)
{
    uint64_t v = 0;
    for (int i = 0; i < count; i++) {
        int b = from + i;
        v = (v << 1) | ((a[b / 8] >> (7 - b % 8)) & 1);
    }
    return v;
}

int main(int argc, char **argv)
{
    if (argc != 6)
        return 2;
    char a6[64], a4[32], p6[64];
    int n, r, plen;
    uint8_t rule6[16], prefix[16];
    struct in_addr rule4;
    if (split(argv[1], a6, sizeof a6, &n) || split(argv[2], a4, sizeof a4, &r) || split(argv[5], p6, sizeof p6, &plen))
        return 2;
    int o = atoi(argv[3]), a = atoi(argv[4]);
    if (inet_pton(AF_INET6, a6, rule6) != 1 || inet_pton(AF_INET, a4, &rule4) != 1 || inet_pton(AF_INET6, p6, prefix) != 1)
        return 2;
    int p = 32 - r, k = o - p, m = 16 - a - k;
    uint64_t ea = bits(prefix, n, o);
    uint32_t suffix = (uint32_t)(ea >> k);
    uint32_t ipv4 = ntohl(rule4.s_addr) | suffix;
    uint32_t psid = (uint32_t)(ea & ((1u << k) - 1));

    uint8_t ce[16];
    memset(ce, 0, sizeof ce);
    int keep = n + o;
    for (int i = 0; i < keep; i++)
        if ((prefix[i / 8] >> (7 - i % 8)) & 1)
            ce[i / 8] |= (uint8_t)(1 << (7 - i % 8));
    ce[10] = (uint8_t)(ipv4 >> 24); ce[11] = (uint8_t)(ipv4 >> 16);
    ce[12] = (uint8_t)(ipv4 >> 8); ce[13] = (uint8_t)ipv4;
    ce[14] = (uint8_t)(psid >> 8); ce[15] = (uint8_t)psid;
    char ce_text[64];
    inet_ntop(AF_INET6, ce, ce_text, sizeof ce_text);

    printf("{\"ipv4\":\"%u.%u.%u.%u\",\"psid\":%u,\"map_ipv6\":\"%s\",\"port_sets\":[",
           ipv4 >> 24, (ipv4 >> 16) & 255, (ipv4 >> 8) & 255, ipv4 & 255, psid, ce_text);
    for (uint32_t A = 1; A < (1u << a); A++) {
        uint32_t first = (A << (16 - a)) | (psid << m);
        printf("%s[%u,%u]", A > 1 ? "," : "", first, first + (1u << m) - 1);
    }
    printf("]}\n");
    return 0;
}
