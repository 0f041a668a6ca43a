/* test_evidence_tree.c - directory trees: sorted order, symlinks and FIFOs
 * recorded and never read, MD5 of every file, loads and streams agree. */
#include <sys/stat.h>
#include <sys/types.h>

#include "evtest.h"

static char root[4200];

static void mkfile(const char *rel, const void *buf, size_t len)
{
    char p[8800];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    CHECK(ev_write(p, buf, len) == 0);
}

static void build_tree(void)
{
    char p[8800];
    ev_run("rm -rf '%s'", root);
    mkdir(root, 0755);
    snprintf(p, sizeof p, "%s/sub", root);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/sub/deeper", root);
    mkdir(p, 0755);
    mkfile("b.txt", "bravo\n", 6);
    mkfile("a.txt", "alpha\n", 6);
    mkfile("Z.txt", "", 0);
    mkfile("sub/c.bin", "charlie", 7);
    mkfile("sub/deeper/d.txt", "delta\n", 6);
    snprintf(p, sizeof p, "%s/link-out", root);
    CHECK(symlink("/etc/passwd", p) == 0);
    snprintf(p, sizeof p, "%s/sub/link-dir", root);
    CHECK(symlink("..", p) == 0);
    snprintf(p, sizeof p, "%s/fifo", root);
    CHECK(mkfifo(p, 0644) == 0);
}

static void expect(const ev_log *l, size_t i, const char *name, vg_item_type t, const char *text)
{
    char md5[33];
    if (i >= l->n) {
        CHECK_MSG(0, "missing item %zu (%s)", i, name);
        return;
    }
    CHECK_STREQ(l->r[i].name, name);
    CHECK_INTEQ(l->r[i].type, t);
    CHECK_INTEQ(l->r[i].kind, VG_SRC_FILE);
    CHECK_INTEQ(l->r[i].flags, 0);
    CHECK_INTEQ(l->r[i].status, VG_OK);
    if (text) {
        ev_md5(text, strlen(text), md5);
        CHECK_STREQ(l->r[i].md5, md5);
        CHECK_INTEQ(l->r[i].size, strlen(text));
    } else {
        CHECK_STREQ(l->r[i].md5, "");
    }
}

static void check_tree(ev_log *l)
{
    char p[8800];
    ev_walk(root, NULL, l);
    CHECK_INTEQ(l->n, 9);
    /* bytewise order: upper case before lower case */
    expect(l, 0, "Z.txt", VG_ITEM_REG, "");
    expect(l, 1, "a.txt", VG_ITEM_REG, "alpha\n");
    expect(l, 2, "b.txt", VG_ITEM_REG, "bravo\n");
    expect(l, 3, "fifo", VG_ITEM_SPECIAL, NULL);
    expect(l, 4, "link-out", VG_ITEM_SYMLINK, NULL);
    expect(l, 5, "sub/c.bin", VG_ITEM_REG, "charlie");
    expect(l, 6, "sub/deeper/d.txt", VG_ITEM_REG, "delta\n");
    expect(l, 7, "sub/link-dir", VG_ITEM_SYMLINK, NULL);
    if (l->n >= 9)
        CHECK_STREQ(l->r[8].name, "x.jpg");
    if (l->n >= 5)
        CHECK_STREQ(l->r[4].link, "/etc/passwd");
    snprintf(p, sizeof p, "%s/a.txt", root);
    CHECK(ev_find(l, p) != NULL);
}

/* Walks a tree with an unreadable directory and file as uid/gid 65534. */
static void check_as_nobody(void)
{
    char p[9000], base[4400];
    pid_t pid;
    int status = 0;
    snprintf(base, sizeof base, "%s/perm", test_tmpdir());
    ev_run("rm -rf '%s'", base);
    mkdir(base, 0755);
    snprintf(p, sizeof p, "%s/locked", base);
    mkdir(p, 0700);
    snprintf(p, sizeof p, "%s/locked/inside.txt", base);
    ev_write(p, "hidden", 6);
    snprintf(p, sizeof p, "%s/ok.txt", base);
    ev_write(p, "fine", 4);
    snprintf(p, sizeof p, "%s/secret.txt", base);
    ev_write(p, "secret", 6);
    chmod(p, 0600);
    fflush(NULL);
    if ((pid = fork()) == 0) {
        ev_log l = {0};
        test_passed = test_failed = 0;
        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(100);
        ev_walk(base, NULL, &l);
        CHECK_INTEQ(l.n, 3);
        if (l.n == 3) {
            CHECK_STREQ(l.r[0].name, "locked");
            CHECK(l.r[0].type == VG_ITEM_DIR && l.r[0].status == VG_ERR_OPEN);
            CHECK(strstr(l.r[0].error, "locked") && strstr(l.r[0].error, "Permission denied"));
            CHECK_STREQ(l.r[1].name, "ok.txt");
            CHECK(l.r[1].status == VG_OK && l.r[1].read_len == 4);
            CHECK_STREQ(l.r[2].name, "secret.txt");
            CHECK(l.r[2].status == VG_ERR_OPEN && strstr(l.r[2].error, "secret.txt"));
        }
        free(l.r);
        _exit(test_failed ? 1 : 0);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 100)
        printf("skip: cannot drop to uid 65534: permission-error items not tested\n");
    else
        CHECK_MSG(WIFEXITED(status) && WEXITSTATUS(status) == 0, "as nobody: status %d", status);
}

int main(void)
{
    ev_log l = {0};
    size_t jl;
    uint8_t *j = ev_jpeg(64, 48, 1, &jl);
    char md5[33], p[8800];
    vg_evidence_opts o;
    snprintf(root, sizeof root, "%s/tree", test_tmpdir());
    build_tree();
    mkfile("x.jpg", j, jl);
    ev_md5(j, jl, md5);

    check_tree(&l);
    CHECK(l.n >= 9 && strcmp(l.r[8].md5, md5) == 0);
    l.stream = 1; /* the same through vg_item_read in 7000-byte pieces */
    check_tree(&l);
    CHECK(l.n >= 9 && strcmp(l.r[8].md5, md5) == 0);
    l.stream = 0;

    /* an item over max_item_mem cannot be loaded, and says so by name */
    vg_evidence_opts_default(&o);
    o.max_item_mem = 100;
    ev_walk(root, &o, &l);
    CHECK(l.n >= 9 && l.r[8].read_st == VG_ERR_LIMIT_SIZE && strstr(l.r[8].read_err, "x.jpg"));
    CHECK(l.n >= 9 && l.r[1].read_st == VG_OK);

    /* a single file as the evidence path, and a missing path */
    snprintf(p, sizeof p, "%s/x.jpg", root);
    ev_walk(p, NULL, &l);
    CHECK_INTEQ(l.n, 1);
    CHECK(l.n == 1 && strcmp(l.r[0].path, p) == 0 && strcmp(l.r[0].md5, md5) == 0);
    {
        vg_error e;
        snprintf(p, sizeof p, "%s/nope", root);
        CHECK_INTEQ(vg_evidence_walk(p, NULL, ev_record, &l, &e), VG_ERR_OPEN);
        CHECK(strstr(e.msg, "nope") != NULL);
    }

    /* permission problems become error items: as root, a child drops to nobody */
    if (geteuid() == 0)
        check_as_nobody();
    if (geteuid() != 0) {
        snprintf(p, sizeof p, "%s/sub", root);
        chmod(p, 0);
        ev_walk(root, NULL, &l);
        CHECK(ev_find(&l, "sub") == NULL);
        {
            int found = 0;
            for (size_t i = 0; i < l.n; i++)
                found |= !strcmp(l.r[i].name, "sub") && l.r[i].status == VG_ERR_OPEN &&
                         l.r[i].type == VG_ITEM_DIR;
            CHECK(found);
        }
        chmod(p, 0755);
    }
    free(j);
    free(l.r);
    TEST_DONE();
}
