#define _GNU_SOURCE
#include "CDatagramBatch.h"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <string.h>
#include <sys/uio.h>

#ifndef UDP_GRO
#define UDP_GRO 104
#endif

/// Room for one control message carrying an int (the UDP_GRO segment size).
typedef union {
    char bytes[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
} segment_control;

int cdatagram_receive_batch(int fd, unsigned char *buffer, size_t slot_size, unsigned int count,
                            struct sockaddr_storage *sources, unsigned int *lengths, unsigned char *truncated,
                            unsigned int *segment_sizes) {
    struct mmsghdr headers[CDATAGRAM_BATCH_MAX];
    struct iovec vectors[CDATAGRAM_BATCH_MAX];
    segment_control controls[CDATAGRAM_BATCH_MAX];
    if (count > CDATAGRAM_BATCH_MAX) count = CDATAGRAM_BATCH_MAX;
    memset(headers, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = buffer + (size_t)i * slot_size;
        vectors[i].iov_len = slot_size;
        headers[i].msg_hdr.msg_name = &sources[i];
        headers[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
        headers[i].msg_hdr.msg_control = controls[i].bytes;
        headers[i].msg_hdr.msg_controllen = sizeof(controls[i].bytes);
    }
    int read = recvmmsg(fd, headers, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < read; i++) {
        lengths[i] = headers[i].msg_len;
        truncated[i] = (headers[i].msg_hdr.msg_flags & MSG_TRUNC) ? 1 : 0;
        segment_sizes[i] = 0;
        for (struct cmsghdr *control = CMSG_FIRSTHDR(&headers[i].msg_hdr); control != NULL;
             control = CMSG_NXTHDR(&headers[i].msg_hdr, control)) {
            if (control->cmsg_level == SOL_UDP && control->cmsg_type == UDP_GRO) {
                int size;
                memcpy(&size, CMSG_DATA(control), sizeof(size));
                if (size > 0) segment_sizes[i] = (unsigned int)size;
            }
        }
    }
    return read;
}

int cdatagram_enable_coalescing(int fd) {
    int on = 1;
    return setsockopt(fd, SOL_UDP, UDP_GRO, &on, sizeof(on));
}
