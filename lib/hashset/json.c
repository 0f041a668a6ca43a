/* json.c - the streaming JSON reader: tokens, skipping, bounded trees.
 *
 * Never holds more than one tree (one Media object) plus the longest string
 * in memory; nesting is capped at VG_HS_MAX_DEPTH so hostile input cannot
 * exhaust the stack.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"

#define JA_BLOCK 65536

struct jblock {
    jblock *next;
    size_t used, cap;
    max_align_t data[];
};

void vgi_hs_ja_init(jarena *a, size_t limit)
{
    a->head = NULL;
    a->used = 0;
    a->limit = limit;
}

void vgi_hs_ja_free(jarena *a)
{
    while (a->head) {
        jblock *b = a->head;
        a->head = b->next;
        free(b);
    }
    a->used = 0;
}

void vgi_hs_ja_reset(jarena *a)
{
    /* keeps one ordinary block: most Media fit in it, so no malloc per Media */
    jblock *keep = NULL;
    while (a->head) {
        jblock *b = a->head;
        a->head = b->next;
        if (!keep && b->cap == JA_BLOCK) {
            keep = b;
            keep->used = 0;
            keep->next = NULL;
        } else {
            free(b);
        }
    }
    a->head = keep;
    a->used = 0;
}

void *vgi_hs_ja_alloc(jarena *a, size_t n)
{
    n = (n + 15) & ~(size_t)15;
    if (n > a->limit || a->used > a->limit - n)
        return NULL;
    jblock *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > JA_BLOCK ? n : JA_BLOCK;
        b = malloc(sizeof *b + cap);
        if (!b)
            return NULL;
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    a->used += n;
    return p;
}

void vgi_hs_json_init(vgi_json *j, vgi_hs_ctx *c, FILE *f)
{
    memset(j, 0, sizeof *j);
    j->f = f;
    j->c = c;
    j->line = 1;
    j->la = -2;
}

void vgi_hs_json_free(vgi_json *j)
{
    free(j->sbuf);
    j->sbuf = NULL;
}

vg_status vgi_hs_json_fail(vgi_json *j, vg_status code, const char *fmt, ...)
{
    char msg[300];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (code == VG_ERR_SYNTAX && feof(j->f)) /* "tru" at the end: cut short, not misspelt */
        code = VG_ERR_TRUNCATED;
    return vg_errorf(j->c->err, code, "%s:%llu:%llu: %s", j->c->name, (unsigned long long)j->line,
                     (unsigned long long)(j->col + 1), msg);
}

static int raw_peek(vgi_json *j)
{
    if (j->la == -2)
        j->la = getc_unlocked(j->f);
    return j->la;
}

static int next(vgi_json *j)
{
    int ch = raw_peek(j);
    j->la = -2;
    if (ch == '\n') {
        j->line++;
        j->col = 0;
    } else if (ch != EOF) {
        j->col++;
    }
    return ch;
}

int vgi_hs_json_peek(vgi_json *j)
{
    for (;;) {
        int ch = raw_peek(j);
        if (ch == 0xEF && j->line == 1 && j->col == 0) { /* BOM: EF BB BF */
            next(j);
            if (next(j) != 0xBB || next(j) != 0xBF)
                return 0xEF; /* invalid: the caller reports an unexpected byte */
            j->col = 0;
            continue;
        }
        if (ch != ' ' && ch != '\t' && ch != '\n' && ch != '\r')
            return ch;
        next(j);
    }
}

static vg_status unexpected(vgi_json *j, int ch, const char *what)
{
    if (ch == EOF) {
        if (ferror(j->f))
            return vgi_hs_json_fail(j, VG_ERR_IO, "read error");
        return vgi_hs_json_fail(j, VG_ERR_TRUNCATED, "JSON ends where %s was expected", what);
    }
    if (ch >= 0x20 && ch < 0x7f)
        return vgi_hs_json_fail(j, VG_ERR_SYNTAX, "'%c' where %s was expected", ch, what);
    return vgi_hs_json_fail(j, VG_ERR_SYNTAX, "byte 0x%02x where %s was expected", ch, what);
}

vg_status vgi_hs_json_expect(vgi_json *j, int ch, const char *what)
{
    int got = vgi_hs_json_peek(j);
    if (got != ch)
        return unexpected(j, got, what);
    next(j);
    return VG_OK;
}

vg_status vgi_hs_json_more(vgi_json *j, int closer, int *more)
{
    int ch = vgi_hs_json_peek(j);
    if (ch == ',' || ch == closer) {
        next(j);
        *more = ch == ',';
        return VG_OK;
    }
    return unexpected(j, ch, closer == '}' ? "',' or '}'" : "',' or ']'");
}

static int sput(vgi_json *j, size_t n, char ch)
{
    if (n + 1 >= j->scap) {
        if (j->scap >= VG_HS_MAX_MEDIA)
            return -1;
        size_t cap = j->scap ? j->scap * 2 : 256;
        char *nb = realloc(j->sbuf, cap);
        if (!nb)
            return -1;
        j->sbuf = nb;
        j->scap = cap;
    }
    j->sbuf[n] = ch;
    return 0;
}

static int hex4(vgi_json *j)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        int ch = next(j), d;
        if (ch >= '0' && ch <= '9')
            d = ch - '0';
        else if ((ch | 32) >= 'a' && (ch | 32) <= 'f')
            d = (ch | 32) - 'a' + 10;
        else
            return -1;
        v = v << 4 | d;
    }
    return v;
}

/* A \u escape of four hex digits (with a surrogate pair) to a code point; -1 when malformed. */
static long unicode_escape(vgi_json *j)
{
    int hi = hex4(j);
    if (hi < 0 || (hi >= 0xDC00 && hi <= 0xDFFF))
        return -1;
    if (hi < 0xD800 || hi > 0xDBFF)
        return hi;
    if (next(j) != '\\' || next(j) != 'u')
        return -1;
    int lo = hex4(j);
    if (lo < 0xDC00 || lo > 0xDFFF)
        return -1;
    return 0x10000 + ((long)(hi - 0xD800) << 10) + (lo - 0xDC00);
}

static int put_utf8(vgi_json *j, size_t *n, long cp)
{
    char b[4];
    int k;
    if (cp < 0x80) {
        b[0] = (char)cp, k = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6), b[1] = (char)(0x80 | (cp & 63)), k = 2;
    } else if (cp < 0x10000) {
        b[0] = (char)(0xE0 | cp >> 12), b[1] = (char)(0x80 | ((cp >> 6) & 63));
        b[2] = (char)(0x80 | (cp & 63)), k = 3;
    } else {
        b[0] = (char)(0xF0 | cp >> 18), b[1] = (char)(0x80 | ((cp >> 12) & 63));
        b[2] = (char)(0x80 | ((cp >> 6) & 63)), b[3] = (char)(0x80 | (cp & 63)), k = 4;
    }
    for (int i = 0; i < k; i++)
        if (sput(j, (*n)++, b[i]) != 0)
            return -1;
    return 0;
}

static vg_status escape(vgi_json *j, size_t *n)
{
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    int ch = next(j);
    const char *p = ch > 0 ? strchr(from, ch) : NULL;
    if (p && *p)
        return sput(j, (*n)++, to[p - from]) == 0 ? VG_OK
               : vgi_hs_json_fail(j, VG_ERR_LIMIT, "string longer than %u bytes", VG_HS_MAX_MEDIA);
    if (ch != 'u')
        return ch == EOF ? unexpected(j, ch, "an escape")
                         : vgi_hs_json_fail(j, VG_ERR_SYNTAX, "bad escape in a string");
    long cp = unicode_escape(j);
    if (cp < 0)
        return vgi_hs_json_fail(j, VG_ERR_SYNTAX, "bad \\u escape");
    if (put_utf8(j, n, cp) != 0)
        return vgi_hs_json_fail(j, VG_ERR_LIMIT, "string longer than %u bytes", VG_HS_MAX_MEDIA);
    return VG_OK;
}

vg_status vgi_hs_json_string(vgi_json *j, const char **s, size_t *len)
{
    vg_status st = vgi_hs_json_expect(j, '"', "a string");
    size_t n = 0;
    if (st != VG_OK)
        return st;
    for (;;) {
        int ch = next(j);
        if (ch == '"')
            break;
        if (ch == EOF)
            return unexpected(j, ch, "the end of a string");
        if (ch < 0x20)
            return vgi_hs_json_fail(j, VG_ERR_SYNTAX, "control character 0x%02x in a string", ch);
        if (ch == '\\') {
            if ((st = escape(j, &n)) != VG_OK)
                return st;
        } else if (sput(j, n++, (char)ch) != 0) {
            return vgi_hs_json_fail(j, VG_ERR_LIMIT, "string longer than %u bytes",
                                    VG_HS_MAX_MEDIA);
        }
    }
    if (sput(j, n, '\0') != 0)
        return vgi_hs_json_fail(j, VG_ERR_LIMIT, "string longer than %u bytes", VG_HS_MAX_MEDIA);
    *s = j->sbuf;
    *len = n;
    return VG_OK;
}

static int is_digit(int ch)
{
    return ch >= '0' && ch <= '9';
}

/* Reads a number per the JSON grammar into the scratch buffer. */
static vg_status number(vgi_json *j, size_t *len)
{
    size_t n = 0;
    int ch = raw_peek(j), digits;
    if (ch == '-')
        sput(j, n++, (char)next(j)), ch = raw_peek(j);
    if (!is_digit(ch))
        return unexpected(j, ch, "a digit");
    for (digits = 0; is_digit(raw_peek(j)) && n < 64; digits++)
        sput(j, n++, (char)next(j));
    if (digits > 1 && j->sbuf[n - digits] == '0')
        return vgi_hs_json_fail(j, VG_ERR_SYNTAX, "number with a leading zero");
    if (raw_peek(j) == '.') {
        sput(j, n++, (char)next(j));
        if (!is_digit(raw_peek(j)))
            return unexpected(j, raw_peek(j), "a digit");
        while (is_digit(raw_peek(j)) && n < 64)
            sput(j, n++, (char)next(j));
    }
    if ((raw_peek(j) | 32) == 'e') {
        sput(j, n++, (char)next(j));
        if (raw_peek(j) == '+' || raw_peek(j) == '-')
            sput(j, n++, (char)next(j));
        if (!is_digit(raw_peek(j)))
            return unexpected(j, raw_peek(j), "a digit");
        while (is_digit(raw_peek(j)) && n < 64)
            sput(j, n++, (char)next(j));
    }
    if (n >= 64)
        return vgi_hs_json_fail(j, VG_ERR_LIMIT, "number longer than 63 characters");
    sput(j, n, '\0');
    *len = n;
    return VG_OK;
}

static vg_status literal(vgi_json *j, int *type)
{
    static const char *const words[] = {"null", "false", "true"};
    int ch = raw_peek(j);
    for (int t = 0; t < 3; t++) {
        if (ch != words[t][0])
            continue;
        for (const char *w = words[t]; *w; w++)
            if (next(j) != *w)
                return vgi_hs_json_fail(j, VG_ERR_SYNTAX, "bad literal (expected %s)", words[t]);
        *type = t; /* J_NULL, J_FALSE, J_TRUE */
        return VG_OK;
    }
    return unexpected(j, ch, "a value");
}

vg_status vgi_hs_json_skip(vgi_json *j, int depth)
{
    const char *s;
    size_t n;
    int ch = vgi_hs_json_peek(j), more = 1, t;
    vg_status st;
    if (ch == '"')
        return vgi_hs_json_string(j, &s, &n);
    if (ch == '-' || is_digit(ch))
        return number(j, &n);
    if (ch != '{' && ch != '[')
        return literal(j, &t);
    if (depth >= VG_HS_MAX_DEPTH)
        return vgi_hs_json_fail(j, VG_ERR_LIMIT, "nesting deeper than %d", VG_HS_MAX_DEPTH);
    next(j);
    int closer = ch == '{' ? '}' : ']';
    if (vgi_hs_json_peek(j) == closer)
        return next(j), VG_OK;
    while (more) {
        if (closer == '}') {
            if ((st = vgi_hs_json_string(j, &s, &n)) != VG_OK ||
                (st = vgi_hs_json_expect(j, ':', "':'")) != VG_OK)
                return st;
        }
        if ((st = vgi_hs_json_skip(j, depth + 1)) != VG_OK ||
            (st = vgi_hs_json_more(j, closer, &more)) != VG_OK)
            return st;
    }
    return VG_OK;
}

static char *ja_strdup(jarena *a, const char *s, size_t n)
{
    char *d = vgi_hs_ja_alloc(a, n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static vg_status too_big(vgi_json *j)
{
    return vgi_hs_json_fail(j, VG_ERR_LIMIT, "object larger than %u bytes", VG_HS_MAX_MEDIA);
}

static vg_status children(vgi_json *j, jarena *a, int depth, jnode *parent, int closer)
{
    jnode **tail = &parent->first;
    int more = 1;
    vg_status st;
    if (vgi_hs_json_peek(j) == closer)
        return next(j), VG_OK;
    while (more) {
        const char *key = NULL;
        if (closer == '}') {
            const char *s;
            size_t n;
            if ((st = vgi_hs_json_string(j, &s, &n)) != VG_OK)
                return st;
            if (!(key = ja_strdup(a, s, n)))
                return too_big(j);
            if ((st = vgi_hs_json_expect(j, ':', "':'")) != VG_OK)
                return st;
        }
        jnode *child;
        if ((st = vgi_hs_json_tree(j, a, depth + 1, &child)) != VG_OK)
            return st;
        child->key = key;
        *tail = child;
        tail = &child->next;
        if ((st = vgi_hs_json_more(j, closer, &more)) != VG_OK)
            return st;
    }
    return VG_OK;
}

vg_status vgi_hs_json_tree(vgi_json *j, jarena *a, int depth, jnode **out)
{
    int ch = vgi_hs_json_peek(j);
    vg_status st;
    size_t n;
    const char *s;
    jnode *node = vgi_hs_ja_alloc(a, sizeof *node);
    if (!node)
        return too_big(j);
    memset(node, 0, sizeof *node);
    node->line = j->line;
    *out = node;
    if (ch == '"' || ch == '-' || is_digit(ch)) {
        node->type = ch == '"' ? J_STR : J_NUM;
        st = ch == '"' ? vgi_hs_json_string(j, &s, &n) : number(j, &n);
        if (st != VG_OK)
            return st;
        if (!(node->s = ja_strdup(a, j->sbuf, n)))
            return too_big(j);
        node->len = n;
        return VG_OK;
    }
    if (ch != '{' && ch != '[')
        return literal(j, &node->type);
    if (depth >= VG_HS_MAX_DEPTH)
        return vgi_hs_json_fail(j, VG_ERR_LIMIT, "nesting deeper than %d", VG_HS_MAX_DEPTH);
    next(j);
    node->type = ch == '{' ? J_OBJ : J_ARR;
    return children(j, a, depth, node, ch == '{' ? '}' : ']');
}

const jnode *vgi_hs_jn_get(const jnode *obj, const char *key)
{
    if (!obj || obj->type != J_OBJ)
        return NULL;
    for (const jnode *k = obj->first; k; k = k->next)
        if (strcasecmp(k->key, key) == 0)
            return k;
    return NULL;
}
