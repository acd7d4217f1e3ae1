#ifndef TEMOIN_CRESOLV_SHIM_H
#define TEMOIN_CRESOLV_SHIM_H
// One TXT query through the system's stub resolver (glibc's libresolv), and the TXT records of its
// answer read with libresolv's own parser (ns_initparse, ns_parserr): temoin writes no DNS code.
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <resolv.h>
#include <string.h>

// Asks for the TXT records of `name`. With `server` (an IPv4 address) and `port`, that server is the
// only one asked, instead of those of /etc/resolv.conf (tests run their own server on 127.0.0.1).
// Returns the answer's length, or -1 with *h_error set (HOST_NOT_FOUND, NO_DATA, TRY_AGAIN,
// NO_RECOVERY, NETDB_INTERNAL).
static inline int temoin_txt_query(const char *name, const char *server, int port, int timeout_seconds,
                                   int attempts, unsigned char *answer, int answer_size, int *h_error) {
    struct __res_state state;
    memset(&state, 0, sizeof state);
    *h_error = NETDB_INTERNAL;
    if (res_ninit(&state) != 0) return -1;
    if (server != NULL) {
        struct sockaddr_in address;
        memset(&address, 0, sizeof address);
        address.sin_family = AF_INET;
        address.sin_port = htons((unsigned short)port);
        if (inet_pton(AF_INET, server, &address.sin_addr) != 1) {
            res_nclose(&state);
            return -1;
        }
        // A server of our own in slot 0, marked AF_INET so glibc uses it rather than an IPv6 one
        // read from resolv.conf into that slot.
        state.nsaddr_list[0] = address;
        state.nscount = 1;
    }
    state.retrans = timeout_seconds;
    state.retry = attempts;
    // EDNS0: answers up to answer_size bytes over UDP (a 4096-bit RSA key does not fit in 512).
    state.options |= RES_USE_EDNS0;
    int length = res_nquery(&state, name, ns_c_in, ns_t_txt, answer, answer_size);
    *h_error = state.res_h_errno;
    res_nclose(&state);
    return length;
}

// The rcode of a DNS answer (NOERROR 0, SERVFAIL 2, NXDOMAIN 3...), or -1 when it does not parse.
static inline int temoin_dns_rcode(const unsigned char *answer, int length) {
    ns_msg message;
    if (ns_initparse(answer, length, &message) != 0) return -1;
    return (int)ns_msg_getflag(message, ns_f_rcode);
}

// Copies into `out` the character-strings of the index-th TXT record of the answer section,
// concatenated (RFC 6376 §3.6.2.2). Returns the number of bytes written, -1 when there is no such
// record, -2 when the answer or the record is malformed, -3 when `out` is too small.
static inline int temoin_txt_record(const unsigned char *answer, int length, int index, unsigned char *out,
                                    int out_size) {
    ns_msg message;
    if (ns_initparse(answer, length, &message) != 0) return -2;
    int count = ns_msg_count(message, ns_s_an);
    int seen = 0;
    for (int i = 0; i < count; i++) {
        ns_rr record;
        if (ns_parserr(&message, ns_s_an, i, &record) != 0) return -2;
        if (ns_rr_type(record) != ns_t_txt) continue;
        if (seen++ != index) continue;
        const unsigned char *data = ns_rr_rdata(record);
        int remaining = ns_rr_rdlen(record);
        int written = 0;
        while (remaining > 0) {
            int piece = data[0];
            if (piece + 1 > remaining) return -2;
            if (written + piece > out_size) return -3;
            memcpy(out + written, data + 1, (size_t)piece);
            written += piece;
            data += piece + 1;
            remaining -= piece + 1;
        }
        return written;
    }
    return -1;
}
#endif
