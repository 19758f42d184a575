#define _GNU_SOURCE
#include "CDatagramBatch.h"

#include <string.h>
#include <sys/uio.h>

int cdatagram_receive_batch(int fd, unsigned char *buffer, size_t slot_size, unsigned int count,
                            struct sockaddr_storage *sources, unsigned int *lengths, unsigned char *truncated) {
    struct mmsghdr headers[CDATAGRAM_BATCH_MAX];
    struct iovec vectors[CDATAGRAM_BATCH_MAX];
    if (count > CDATAGRAM_BATCH_MAX) count = CDATAGRAM_BATCH_MAX;
    memset(headers, 0, sizeof(struct mmsghdr) * count);
    for (unsigned int i = 0; i < count; i++) {
        vectors[i].iov_base = buffer + (size_t)i * slot_size;
        vectors[i].iov_len = slot_size;
        headers[i].msg_hdr.msg_name = &sources[i];
        headers[i].msg_hdr.msg_namelen = sizeof(struct sockaddr_storage);
        headers[i].msg_hdr.msg_iov = &vectors[i];
        headers[i].msg_hdr.msg_iovlen = 1;
    }
    int read = recvmmsg(fd, headers, count, MSG_DONTWAIT, NULL);
    for (int i = 0; i < read; i++) {
        lengths[i] = headers[i].msg_len;
        truncated[i] = (headers[i].msg_hdr.msg_flags & MSG_TRUNC) ? 1 : 0;
    }
    return read;
}
