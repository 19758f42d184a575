#ifndef PEERGATE_CALLOCATOR_H
#define PEERGATE_CALLOCATOR_H

/// Sets glibc malloc's mmap and trim thresholds (mallopt(3): M_MMAP_THRESHOLD,
/// M_TRIM_THRESHOLD), in bytes; returns 1 when both were taken.
int peergate_malloc_thresholds(int mmap_threshold, int trim_threshold);

#endif
