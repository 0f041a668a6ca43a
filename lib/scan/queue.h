/* queue.h - a bounded blocking FIFO of pointers, bounded in count and bytes,
 * for the scan pipeline's stages. */
#ifndef VIGIL_SCAN_QUEUE_H
#define VIGIL_SCAN_QUEUE_H

#include <pthread.h>
#include <stddef.h>

typedef struct vgi_queue {
    pthread_mutex_t mu;
    pthread_cond_t not_empty, not_full;
    void **v;
    size_t *w; /* weight (bytes) of each slot */
    size_t cap, head, n;
    size_t bytes, max_bytes;
    int closed;
} vgi_queue;

int vgi_queue_init(vgi_queue *q, size_t cap, size_t max_bytes);
void vgi_queue_destroy(vgi_queue *q);

/* Blocks while full (count, or bytes when the queue is not empty: one item
 * larger than max_bytes still passes alone). Returns -1 if closed. */
int vgi_queue_push(vgi_queue *q, void *p, size_t weight);

/* Blocks while empty; NULL once closed and drained. */
void *vgi_queue_pop(vgi_queue *q);

/* Like pop, but gives up after timeout seconds (NULL, *timed_out = 1). */
void *vgi_queue_pop_timed(vgi_queue *q, double timeout, int *timed_out);

/* No more pushes: poppers drain what is left, then get NULL. */
void vgi_queue_close(vgi_queue *q);

#endif
