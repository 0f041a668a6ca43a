/* queue.c - bounded blocking FIFO (mutex + two condition variables). */
#include <errno.h>
#include <stdlib.h>
#include <time.h>

#include "queue.h"

int vgi_queue_init(vgi_queue *q, size_t cap, size_t max_bytes)
{
    q->v = calloc(cap, sizeof *q->v);
    q->w = calloc(cap, sizeof *q->w);
    if (!q->v || !q->w) {
        free(q->v);
        free(q->w);
        return -1;
    }
    q->cap = cap;
    q->head = q->n = q->bytes = 0;
    q->max_bytes = max_bytes;
    q->closed = 0;
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->not_empty, NULL);
    pthread_cond_init(&q->not_full, NULL);
    return 0;
}

void vgi_queue_destroy(vgi_queue *q)
{
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->not_empty);
    pthread_cond_destroy(&q->not_full);
    free(q->v);
    free(q->w);
}

static int full(const vgi_queue *q, size_t weight)
{
    return q->n == q->cap || (q->n > 0 && q->bytes + weight > q->max_bytes);
}

int vgi_queue_push(vgi_queue *q, void *p, size_t weight)
{
    pthread_mutex_lock(&q->mu);
    while (!q->closed && full(q, weight))
        pthread_cond_wait(&q->not_full, &q->mu);
    if (q->closed) {
        pthread_mutex_unlock(&q->mu);
        return -1;
    }
    size_t slot = (q->head + q->n) % q->cap;
    q->v[slot] = p;
    q->w[slot] = weight;
    q->n++;
    q->bytes += weight;
    pthread_cond_signal(&q->not_empty);
    pthread_mutex_unlock(&q->mu);
    return 0;
}

static void *take(vgi_queue *q)
{
    void *p = q->v[q->head];
    q->bytes -= q->w[q->head];
    q->head = (q->head + 1) % q->cap;
    q->n--;
    pthread_cond_broadcast(&q->not_full);
    return p;
}

void *vgi_queue_pop(vgi_queue *q)
{
    void *p = NULL;
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && !q->closed)
        pthread_cond_wait(&q->not_empty, &q->mu);
    if (q->n > 0)
        p = take(q);
    pthread_mutex_unlock(&q->mu);
    return p;
}

void *vgi_queue_pop_timed(vgi_queue *q, double timeout, int *timed_out)
{
    struct timespec ts;
    void *p = NULL;

    *timed_out = 0;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += (time_t)timeout;
    ts.tv_nsec += (long)((timeout - (double)(time_t)timeout) * 1e9);
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&q->mu);
    while (q->n == 0 && !q->closed) {
        if (pthread_cond_timedwait(&q->not_empty, &q->mu, &ts) == ETIMEDOUT) {
            *timed_out = q->n == 0;
            break;
        }
    }
    if (q->n > 0)
        p = take(q);
    pthread_mutex_unlock(&q->mu);
    return p;
}

void vgi_queue_close(vgi_queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = 1;
    pthread_cond_broadcast(&q->not_empty);
    pthread_cond_broadcast(&q->not_full);
    pthread_mutex_unlock(&q->mu);
}
