#ifndef CDATAGRAMBATCH_H
#define CDATAGRAMBATCH_H

#include <stddef.h>
#include <sys/socket.h>

/// Most datagrams one batch call handles.
#define CDATAGRAM_BATCH_MAX 64

/// Reads up to `count` (at most CDATAGRAM_BATCH_MAX) waiting messages from `fd` with one
/// recvmmsg call, without blocking: message i goes to `buffer + i * slot_size`, its length
/// to `lengths[i]`, its source to `sources[i]`, and `truncated[i]` is 1 when it was longer
/// than `slot_size`. `segment_sizes[i]` is the size of each datagram the kernel coalesced
/// into message i (UDP GRO: all but the last that long), or 0 when it holds one datagram.
/// Returns how many messages were read, or -1 with errno set (EAGAIN: none waiting).
int cdatagram_receive_batch(int fd, unsigned char *buffer, size_t slot_size, unsigned int count,
                            struct sockaddr_storage *sources, unsigned int *lengths, unsigned char *truncated,
                            unsigned int *segment_sizes);

/// Lets `fd` receive runs of datagrams of one flow coalesced into one message (Linux
/// `UDP_GRO`, 5.0+). Returns 0, or -1 with errno set.
int cdatagram_enable_coalescing(int fd);

#endif
