#ifndef CDATAGRAMBATCH_H
#define CDATAGRAMBATCH_H

#include <stddef.h>
#include <sys/socket.h>

/// Most datagrams one batch call handles.
#define CDATAGRAM_BATCH_MAX 64

/// Reads up to `count` (at most CDATAGRAM_BATCH_MAX) waiting datagrams from `fd` with one
/// recvmmsg call, without blocking: datagram i goes to `buffer + i * slot_size`, its length
/// to `lengths[i]`, its source to `sources[i]`, and `truncated[i]` is 1 when it was longer
/// than `slot_size`. Returns how many were read, or -1 with errno set (EAGAIN: none waiting).
int cdatagram_receive_batch(int fd, unsigned char *buffer, size_t slot_size, unsigned int count,
                            struct sockaddr_storage *sources, unsigned int *lengths, unsigned char *truncated);

#endif
