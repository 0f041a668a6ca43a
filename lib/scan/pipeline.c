/* pipeline.c - the scan: one walker, N hashing workers, one case writer.
 *
 * Invariants:
 *  1. Evidence is read-only: lib/evidence opens it O_RDONLY and nothing here
 *     writes anywhere but the case.
 *  2. Each item is recorded once: its key is (evidence, seq), seq = ordinal
 *     of the walk callback, deterministic because the walk is. A resumed run
 *     skips the seqs the case holds (binary search in a sorted list) but still
 *     descends into containers so that the seqs of their children line up.
 *  3. Memory is bounded: the work queue holds at most queue_bytes of item
 *     bytes (one larger item passes alone) and a few items per worker; items
 *     over limits.max_file_bytes are digested in a streaming pass by the
 *     walker thread itself and never held whole.
 *  4. Only the writer thread touches the store, in transactions of up to
 *     BATCH items or BATCH_SECONDS, so a kill loses at most the open batch,
 *     which the resume redoes.
 *
 * States of one item: walked (job made, bytes copied) -> hashed (worker) ->
 * recorded (writer, committed with its batch). A kill in any state before
 * "committed" leaves no trace of the item, so the resume takes it again. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "queue.h"
#include "scan_int.h"
#include "vigil/exif.h"
#include "vigil/index.h"
#include "vigil/scan.h"
#include "vigil/thumb.h"
#include "vigil/util.h"

#define BATCH 256
#define BATCH_SECONDS 0.5
#define MAX_DEPTH 64


typedef struct pipe {
    vg_store *store;
    const vg_scan_opts *o;
    vg_hash_opts hopts;
    int64_t evidence_id;
    uint64_t seq;
    uint64_t *done; /* sorted seqs already recorded */
    size_t n_done;
    uint64_t container_seq[MAX_DEPTH];
    vgi_queue work, results;
    vg_scan_progress prog;
    double t0;
    volatile int failed;     /* the writer could not write: stop the walk */
    vg_error write_err;
} pipe_t;

static int already_done(const pipe_t *p, uint64_t seq)
{
    size_t lo = 0, hi = p->n_done;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (p->done[mid] < seq)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < p->n_done && p->done[lo] == seq;
}

static const char *item_type_name(vg_item_type t)
{
    switch (t) {
    case VG_ITEM_REG: return "file";
    case VG_ITEM_DIR: return "dir";
    case VG_ITEM_SYMLINK: return "symlink";
    case VG_ITEM_SPECIAL: return "special";
    default: return "unknown";
    }
}

/* Copies the walker's view of the item into a job the other threads own. */
static job *job_new(pipe_t *p, const vg_item *it, uint64_t seq)
{
    job *j = calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->path = strdup(it->path ? it->path : "");
    j->name = strdup(it->name ? it->name : "");
    j->error = it->status != VG_OK && it->error ? strdup(it->error) : NULL;
    vg_item_flags_str(it->flags, j->flags, sizeof j->flags);
    j->status = vg_status_name(it->status);
    j->thumb_distance = -1;
    vg_item_rec *r = &j->rec;
    r->evidence_id = p->evidence_id;
    r->seq = seq;
    r->parent_seq = it->depth > 0 && it->depth <= MAX_DEPTH ? p->container_seq[it->depth - 1] : 0;
    r->source = vg_source_kind_name(it->kind);
    r->item_type = item_type_name(it->type);
    r->depth = it->depth;
    r->size = it->size;
    r->offset = it->offset;
    r->meta_addr = it->meta_addr;
    r->mtime = it->mtime;
    r->atime = it->atime;
    r->ctime = it->ctime;
    r->crtime = it->crtime;
    return j;
}

/* Digests an item too large to hold, in one streaming pass. */
static void stream_item(pipe_t *p, vg_item *it, job *j)
{
    vg_error err;
    vg_digester *d = vg_digester_new(0, &err);
    uint8_t *buf = malloc(1u << 20), head[64];
    size_t head_len = 0, got;
    vg_status st = d && buf ? VG_OK : VG_ERR_NOMEM;

    memset(&j->h, 0, sizeof j->h);
    while (st == VG_OK && (st = vg_item_read(it, buf, 1u << 20, &got, &err)) == VG_OK && got) {
        if (head_len < sizeof head) {
            size_t k = got < sizeof head - head_len ? got : sizeof head - head_len;
            memcpy(head + head_len, buf, k);
            head_len += k;
        }
        st = vg_digester_update(d, buf, got, &err);
    }
    if (st == VG_OK)
        st = vg_digester_final(d, &j->h.digests, &err);
    if (st == VG_OK) {
        j->hashed = 1;
        j->h.type = vg_image_identify(head, head_len);
        if (j->h.type != VG_IMAGE_UNKNOWN)
            j->h.image_status = vg_errorf(&j->h.image_err, VG_ERR_LIMIT_SIZE,
                                          "%s: %llu bytes, over the limit for decoding", j->path,
                                          (unsigned long long)it->size);
    } else {
        j->status = vg_status_name(st);
        free(j->error);
        j->error = strdup(err.msg);
    }
    vg_digester_free(d);
    free(buf);
}

static vg_walk_ret on_item(vg_item *it, void *ctx)
{
    pipe_t *p = ctx;
    uint64_t seq = ++p->seq;
    job *j;

    if (p->failed)
        return VG_WALK_STOP;
    /* The walk is depth first, so the item met last at depth d is the parent
     * of the next item at depth d+1 (containers, and pictures whose EXIF
     * thumbnail follows as an embedded item). */
    if (it->depth < MAX_DEPTH)
        p->container_seq[it->depth] = seq;
    if (already_done(p, seq)) {
        p->prog.skipped++;
        return VG_WALK_CONTINUE;
    }
    j = job_new(p, it, seq);
    if (!j) {
        p->failed = 1;
        vg_errorf(&p->write_err, VG_ERR_NOMEM, "no memory for item %s", it->path);
        return VG_WALK_STOP;
    }
    if (it->type == VG_ITEM_REG && it->status == VG_OK && !(it->flags & VG_ITEM_ENCRYPTED)) {
        const uint8_t *data;
        size_t len;
        vg_error err;
        vg_status st = vg_item_load(it, &data, &len, &err);
        if (st == VG_OK) {
            j->data = malloc(len ? len : 1);
            if (j->data) {
                memcpy(j->data, data, len);
                j->len = len;
            } else {
                j->status = vg_status_name(VG_ERR_NOMEM);
                j->error = strdup("no memory to hold the item");
            }
        } else if (st == VG_ERR_LIMIT_SIZE) {
            stream_item(p, it, j);
        } else {
            j->status = vg_status_name(st);
            free(j->error);
            j->error = strdup(err.msg);
        }
    }
    if (vgi_queue_push(&p->work, j, j->len) != 0)
        vgi_job_free(j);
    return VG_WALK_CONTINUE;
}

/* EXIF facts and the thumbnail check of a decoded picture still in memory. */
static void look_inside(pipe_t *p, job *j)
{
    size_t off, tlen;
    vg_file_hashes th;

    j->have_exif = vg_exif_read(j->data, j->len, &j->exif, NULL) == VG_OK;
    if (j->h.type != VG_IMAGE_JPEG || !j->h.have_pdq || j->h.pdq_quality < VG_PDQ_DEFAULT_MIN_QUALITY ||
        !vg_exif_thumbnail(j->data, j->len, &off, &tlen))
        return;
    vg_hash_opts ho = p->hopts;
    ho.dihedral = 0;
    ho.thumb_side = 0; /* the EXIF thumbnail gets its own when walked as an item */
    if (vg_hash_buffer(j->data + off, tlen, &ho, &th, NULL) == VG_OK && th.have_pdq &&
        th.pdq_quality >= VG_PDQ_DEFAULT_MIN_QUALITY)
        j->thumb_distance = vg_pdq_distance(&th.pdq[0], &j->h.pdq[0]);
}

static void *worker(void *arg)
{
    pipe_t *p = arg;
    job *j;

    while ((j = vgi_queue_pop(&p->work)) != NULL) {
        if (j->data) {
            vg_error err;
            if (vg_hash_buffer(j->data, j->len, &p->hopts, &j->h, &err) == VG_OK) {
                j->hashed = 1;
                if (j->h.type != VG_IMAGE_UNKNOWN) {
                    look_inside(p, j);
                    if (p->o->steg)
                        vgi_scan_steg(j, &p->hopts, p->o);
                }
            }
            free(j->data);
            j->data = NULL;
        }
        if (j->hashed && p->o->match && p->o->match(p->o->match_ctx, &j->h, &j->matches,
                                                    &j->n_matches) != 0) {
            j->matches = NULL;
            j->n_matches = 0;
        }
        if (vgi_queue_push(&p->results, j, 0) != 0)
            vgi_job_free(j);
    }
    return NULL;
}

/* Fills the record's hash fields from the job's results. */
static void finish_record(job *j)
{
    vg_item_rec *r = &j->rec;
    r->path = j->path;
    r->name = j->name;
    r->flags = j->flags;
    r->status = j->status;
    r->error = j->error;
    if (j->hashed) {
        r->have_digests = 1;
        r->digests = j->h.digests;
        r->file_type = vg_image_type_name(j->h.type);
        r->ext_mismatch = vg_ext_mismatch(j->name, j->h.type);
        r->width = j->h.width;
        r->height = j->h.height;
        r->have_pdq = j->h.have_pdq;
        r->pdq = j->h.pdq[0];
        r->pdq_quality = j->h.pdq_quality;
        if (j->h.image_status != VG_OK && strcmp(j->status, "ok") == 0) {
            r->status = vg_status_name(j->h.image_status);
            r->error = j->h.image_err.msg;
        }
    }
    r->matches = j->matches;
    r->n_matches = j->n_matches;
    r->thumb_distance = j->thumb_distance;
    r->thumb = j->h.thumb;
    r->thumb_len = j->h.thumb_len;
    r->steg_verdict = j->steg_verdict;
    r->steg_reason = j->steg_verdict ? j->steg_reason : NULL;
    r->steg_scores = j->steg_scores;
    if (j->have_exif) {
        r->exif_make = j->exif.make[0] ? j->exif.make : NULL;
        r->exif_model = j->exif.model[0] ? j->exif.model : NULL;
        r->exif_datetime = j->exif.datetime[0] ? j->exif.datetime : NULL;
        r->has_gps = j->exif.has_gps;
        r->gps_lat = j->exif.latitude;
        r->gps_lon = j->exif.longitude;
    }
}

static void *writer(void *arg)
{
    pipe_t *p = arg;
    size_t in_batch = 0;
    double batch_start = 0, last_progress = 0;
    int timed_out;

    for (;;) {
        job *j = vgi_queue_pop_timed(&p->results, BATCH_SECONDS, &timed_out);
        double now = vg_now();
        if (j && !p->failed) {
            if (in_batch == 0) {
                if (vg_store_begin(p->store, &p->write_err) != VG_OK)
                    p->failed = 1;
                batch_start = now;
            }
            /* an item and what was found inside it go in one transaction */
            for (size_t k = 0; k <= j->n_children && !p->failed; k++) {
                job *one = k ? &j->children[k - 1] : j;
                finish_record(one);
                if (vg_store_item_put(p->store, &one->rec, &p->write_err) != VG_OK)
                    p->failed = 1;
                p->prog.items++;
                p->prog.bytes += one->rec.size;
                if (strcmp(one->rec.status, "ok") != 0)
                    p->prog.errors++;
            }
            in_batch++;
        }
        if (j) {
            for (size_t k = 0; k <= j->n_children && p->o->free_matches; k++) {
                job *one = k ? &j->children[k - 1] : j;
                if (one->matches)
                    p->o->free_matches(p->o->match_ctx, one->matches, one->n_matches);
            }
            vgi_job_free(j);
        }
        if (in_batch && (in_batch >= BATCH || now - batch_start >= BATCH_SECONDS || !j)) {
            if (!p->failed && vg_store_commit(p->store, &p->write_err) != VG_OK)
                p->failed = 1;
            if (p->failed)
                vg_store_rollback(p->store, NULL);
            in_batch = 0;
        }
        if (p->o->progress && now - last_progress >= 0.5) {
            p->prog.seconds = now - p->t0;
            p->o->progress(&p->prog, p->o->progress_ctx);
            last_progress = now;
        }
        if (!j && !timed_out)
            break; /* closed and drained */
    }
    return NULL;
}

void vg_scan_opts_default(vg_scan_opts *o)
{
    memset(o, 0, sizeof *o);
    vg_limits_default(&o->limits);
    vg_evidence_opts_default(&o->evidence);
    o->queue_bytes = 256u << 20;
    o->steg = 1;
    o->thumbnails = 1;
}

static int worker_count(const vg_scan_opts *o)
{
    long n = o->threads > 0 ? o->threads : sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

static vg_status open_evidence(pipe_t *p, const char *path, vg_error *err)
{
    vg_evidence_rec rec;
    int created;
    vg_status st = vg_store_evidence_add(p->store, path,
                                         p->o->options_json ? p->o->options_json : "{}", &rec,
                                         &created, err);
    if (st != VG_OK)
        return st;
    p->evidence_id = rec.id;
    if (!created)
        st = vg_store_item_seqs(p->store, rec.id, &p->done, &p->n_done, err);
    return st;
}

vg_status vg_scan_run(vg_store *store, const char *path, const vg_scan_opts *o,
                      vg_scan_progress *prog, vg_error *err)
{
    pipe_t p;
    pthread_t wt[64], wr;
    int nw = worker_count(o), started = 0;
    vg_status st;

    memset(&p, 0, sizeof p);
    p.store = store;
    p.o = o;
    p.hopts.limits = &o->limits;
    p.hopts.pdq_fast = o->pdq_fast;
    p.hopts.thumb_side = o->thumbnails ? VG_THUMB_SIDE : 0;
    /* The 8 dihedral hashes come from one DCT and cost next to nothing;
     * matchers use them to find rotated and mirrored copies. */
    p.hopts.dihedral = 1;
    p.t0 = vg_now();
    struct stat sb;
    /* Evidence that is not there is not recorded: a resume would only retry it. */
    if (lstat(path, &sb) != 0)
        return vg_errorf(err, VG_ERR_OPEN, "%s: cannot examine: %s", path, strerror(errno));
    vg_evidence_opts eo = o->evidence;
    eo.max_item_mem = o->limits.max_file_bytes ? (size_t)o->limits.max_file_bytes : SIZE_MAX;
    if ((st = open_evidence(&p, path, err)) != VG_OK)
        return st;
    if (vgi_queue_init(&p.work, (size_t)nw * 4, o->queue_bytes ? o->queue_bytes : 256u << 20) ||
        vgi_queue_init(&p.results, (size_t)nw * 4 + BATCH, SIZE_MAX)) {
        free(p.done);
        return vg_errorf(err, VG_ERR_NOMEM, "no memory for the scan queues");
    }
    pthread_create(&wr, NULL, writer, &p);
    for (; started < nw; started++)
        if (pthread_create(&wt[started], NULL, worker, &p) != 0)
            break;
    st = started ? vg_evidence_walk(path, &eo, on_item, &p, err)
                 : vg_errorf(err, VG_ERR_NOMEM, "cannot start worker threads");
    vgi_queue_close(&p.work);
    for (int i = 0; i < started; i++)
        pthread_join(wt[i], NULL);
    vgi_queue_close(&p.results);
    pthread_join(wr, NULL);
    vgi_queue_destroy(&p.work);
    vgi_queue_destroy(&p.results);
    free(p.done);
    if (st == VG_OK && p.failed) {
        st = p.write_err.code ? p.write_err.code : VG_ERR_DB;
        if (err)
            *err = p.write_err;
    }
    if (st == VG_OK)
        st = vg_store_evidence_set_state(store, p.evidence_id, "done", err);
    p.prog.seconds = vg_now() - p.t0;
    if (prog)
        *prog = p.prog;
    return st;
}
