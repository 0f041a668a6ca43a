/* test_evidence_disk.c - disk images built at test time without mounting:
 * FAT16 (mkfs.vfat + mtools, a deleted JPEG), ext4 (mke2fs -d + debugfs rm),
 * an MBR disk with both, an E01 (ewfacquire) with its MD5 verified; carving of
 * unallocated space; a corrupt image. Exact paths, flags, offsets and MD5s. */
#include "arcmake.h"
#include "evtest.h"
#include "imgmake.h"

/* TSK 4.11 leaks a few small blocks when it detects a GPT volume system (seen
 * with ASan: tsk_malloc under tsk_vs_open); not ours to fix, so LeakSanitizer
 * is told to ignore leaks allocated inside libtsk. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libtsk.so\n";
}

static char dir[4200];
static uint8_t *main_j, *thumb_j, *exif_j, *png, *zip;
static size_t main_l, thumb_l, exif_l, png_l, zip_l;
static char main_md5[33], exif_md5[33], png_md5[33], thumb_md5[33];

#define PNG_OFF 12582912L /* 12 MiB: free clusters of the 16 MiB FAT */

static const char *tmp(const char *name)
{
    static char p[16][4400]; /* a ring: one call may use several */
    static int k;
    k = (k + 1) % 16;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
    return p[k];
}

static void make_inputs(void)
{
    am_entry e[] = {{"a.txt", "alpha\n", 6}};
    main_j = ev_jpeg(320, 240, 4, &main_l);
    thumb_j = ev_jpeg(64, 48, 5, &thumb_l);
    {
        uint8_t *plain = ev_jpeg(200, 150, 6, &exif_l);
        exif_j = ev_with_thumb(plain, exif_l, thumb_j, thumb_l, &exif_l);
        free(plain);
    }
    png = im_png(48, 1, &png_l);
    CHECK(am_make(AM_ZIP, e, 1, &zip, &zip_l) == 0);
    ev_md5(main_j, main_l, main_md5);
    ev_md5(exif_j, exif_l, exif_md5);
    ev_md5(png, png_l, png_md5);
    ev_md5(thumb_j, thumb_l, thumb_md5);
    mkdir(tmp("src"), 0755);
    mkdir(tmp("src/DCIM"), 0755);
    CHECK(ev_write(tmp("src/DCIM/IMG_0001.JPG"), main_j, main_l) == 0);
    CHECK(ev_write(tmp("src/DCIM/IMG_0002.JPG"), exif_j, exif_l) == 0);
    CHECK(ev_write(tmp("src/ARCH.ZIP"), zip, zip_l) == 0);
    CHECK(ev_run("touch -d @1600000000 '%s' '%s' '%s'", tmp("src/DCIM/IMG_0001.JPG"),
                 tmp("src/DCIM/IMG_0002.JPG"), tmp("src/ARCH.ZIP")) == 0);
}

/* FAT16 at byte offset off of img (0: the whole file); deletes IMG_0001. */
static int make_fat(const char *img, long off)
{
    const char *at = off ? "@@1048576" : "";
    if (off == 0 && ev_run("rm -f '%s' && truncate -s 16M '%s'", img, img))
        return -1;
    if (ev_run("mkfs.vfat -F 16 -n TESTFAT -i 12345678 %s '%s' %s >/dev/null 2>&1",
               off ? "--offset 2048" : "", img, off ? "16384" : ""))
        return -1;
    return ev_run("export MTOOLS_SKIP_CHECK=1; mmd -i '%s%s' ::/DCIM && "
                  "mcopy -m -i '%s%s' '%s' ::/DCIM/IMG_0001.JPG && "
                  "mcopy -m -i '%s%s' '%s' ::/DCIM/IMG_0002.JPG && "
                  "mcopy -m -i '%s%s' '%s' ::/ARCH.ZIP && mdel -i '%s%s' ::/DCIM/IMG_0001.JPG",
                  img, at, img, at, tmp("src/DCIM/IMG_0001.JPG"), img, at,
                  tmp("src/DCIM/IMG_0002.JPG"), img, at, tmp("src/ARCH.ZIP"), img, at);
}

static const ev_rec *expect(const ev_log *l, const char *path, uint32_t flags, const char *md5)
{
    const ev_rec *r = ev_find(l, path);
    CHECK_MSG(r != NULL, "no item %s", path);
    if (!r)
        return NULL;
    CHECK_MSG(r->flags == flags, "%s: flags %x != %x", path, r->flags, flags);
    CHECK_MSG(r->status == VG_OK, "%s: %s", path, r->error);
    if (md5)
        CHECK_MSG(!strcmp(r->md5, md5), "%s: md5 %s != %s (%s)", path, r->md5, md5, r->read_err);
    return r;
}

/* The items every FAT volume here holds, under prefix ("fat.img!/" or "disk.img!/p1/"). */
static void check_fat_items(const ev_log *l, const char *pre, int64_t base)
{
    char p[9000], c[9000];
    const ev_rec *del, *r;
    snprintf(p, sizeof p, "%sDCIM/IMG_0002.JPG", pre);
    r = expect(l, p, 0, exif_md5);
    CHECK(r && r->kind == VG_SRC_DISK && r->size == exif_l && r->mtime == 1600000000);
    CHECK(r && r->offset > base && r->meta > 0);
    /* its EXIF thumbnail follows as a child item */
    snprintf(p, sizeof p, "%sDCIM/IMG_0002.JPG!/$ExifThumbnail.jpg", pre);
    r = expect(l, p, 0, thumb_md5);
    CHECK(r && r->kind == VG_SRC_EMBEDDED && r->size == thumb_l && r->depth == 2);
    /* FAT deleted 8.3 names lose their first character */
    snprintf(p, sizeof p, "%sDCIM/_MG_0001.JPG", pre);
    del = expect(l, p, VG_ITEM_DELETED, main_md5);
    CHECK(del && del->size == main_l && del->offset > base);
    snprintf(p, sizeof p, "%sARCH.ZIP", pre);
    expect(l, p, VG_ITEM_CONTAINER, NULL);
    snprintf(p, sizeof p, "%sARCH.ZIP!/a.txt", pre);
    r = expect(l, p, 0, NULL);
    CHECK(r && r->kind == VG_SRC_ARCHIVE && r->depth == 2);
    /* the deleted JPEG's clusters are unallocated: carved whole at the same offset */
    if (del) {
        snprintf(c, sizeof c, "%s$Carved/%012lld.jpeg", pre, (long long)del->offset);
        r = expect(l, c, VG_ITEM_CARVED | VG_ITEM_UNALLOC, main_md5);
        CHECK(r && r->kind == VG_SRC_CARVED && r->offset == del->offset && r->size == main_l);
    }
    snprintf(c, sizeof c, "%s$Carved/%012lld.png", pre, (long long)(base + PNG_OFF));
    r = expect(l, c, VG_ITEM_CARVED | VG_ITEM_UNALLOC, png_md5);
    CHECK(r && r->offset == base + PNG_OFF && r->size == png_l);
}

static int count_kind(const ev_log *l, vg_source_kind k)
{
    int n = 0;
    for (size_t i = 0; i < l->n; i++)
        n += l->r[i].kind == k;
    return n;
}

static void fat(ev_log *l)
{
    char pre[9000];
    CHECK(make_fat(tmp("fat.img"), 0) == 0);
    CHECK(ev_patch(tmp("fat.img"), PNG_OFF, png, png_l) == 0);
    ev_walk(tmp("fat.img"), NULL, l);
    snprintf(pre, sizeof pre, "%s!/", tmp("fat.img"));
    check_fat_items(l, pre, 0);
    CHECK_INTEQ(count_kind(l, VG_SRC_CARVED), 2); /* the EXIF thumbnail is not carved apart */
    CHECK_INTEQ(count_kind(l, VG_SRC_DISK), 3);
    l->stream = 1;
    ev_walk(tmp("fat.img"), NULL, l);
    check_fat_items(l, pre, 0);
    l->stream = 0;
}

static void ext4(ev_log *l)
{
    char p[9000];
    const ev_rec *del, *r;
    CHECK(ev_run("rm -f '%s' && mke2fs -q -F -t ext4 -b 4096 -d '%s' -L TESTEXT4 "
                 "-U 0b1c2d3e-0000-4000-8000-000000000001 -E hash_seed=0b1c2d3e-0000-4000-8000-000000000002 "
                 "'%s' 16M && debugfs -w -R 'rm /DCIM/IMG_0001.JPG' '%s' >/dev/null 2>&1",
                 tmp("ext4.img"), tmp("src"), tmp("ext4.img"), tmp("ext4.img")) == 0);
    ev_walk(tmp("ext4.img"), NULL, l);
    snprintf(p, sizeof p, "%s!/DCIM/IMG_0002.JPG", tmp("ext4.img"));
    r = expect(l, p, 0, exif_md5);
    CHECK(r && r->mtime == 1600000000 && r->meta > 11);
    snprintf(p, sizeof p, "%s!/DCIM/IMG_0001.JPG", tmp("ext4.img"));
    del = expect(l, p, VG_ITEM_DELETED, main_md5);
    snprintf(p, sizeof p, "%s!/ARCH.ZIP!/a.txt", tmp("ext4.img"));
    expect(l, p, 0, NULL);
    if (del) {
        snprintf(p, sizeof p, "%s!/$Carved/%012lld.jpeg", tmp("ext4.img"), (long long)del->offset);
        expect(l, p, VG_ITEM_CARVED | VG_ITEM_UNALLOC, main_md5);
    }
    /* wipe the deleted inode: the name stays but TSK cannot read the content any
     * more; the bytes are still found by carving, at the same offset */
    if (del) {
        int64_t off = del->offset;
        unsigned long long ino = (unsigned long long)del->meta;
        const ev_rec *wiped;
        CHECK(ev_run("debugfs -w -R 'clri <%llu>' '%s' >/dev/null 2>&1", ino, tmp("ext4.img")) == 0);
        ev_walk(tmp("ext4.img"), NULL, l);
        snprintf(p, sizeof p, "%s!/DCIM/IMG_0001.JPG", tmp("ext4.img"));
        wiped = ev_find(l, p);
        CHECK(wiped && wiped->flags == VG_ITEM_DELETED && wiped->type == VG_ITEM_REG);
        CHECK(wiped && wiped->status == VG_ERR_NOTFOUND && strstr(wiped->error, "IMG_0001.JPG"));
        snprintf(p, sizeof p, "%s!/$Carved/%012lld.jpeg", tmp("ext4.img"), (long long)off);
        expect(l, p, VG_ITEM_CARVED | VG_ITEM_UNALLOC, main_md5);
    }
}

/* MBR: p1 FAT16 at sector 2048 (16 MiB), p2 ext4 at sector 34816 (20 MiB),
 * a GIF in the unpartitioned tail. */
static void mbr(ev_log *l)
{
    const char *img = tmp("disk.img");
    uint8_t mbr[512] = {0};
    const uint32_t s1 = 2048, n1 = 32768, s2 = 34816, n2 = 40960;
    const long gif_off = (long)(s2 + n2) * 512 + 4096;
    char pre[9000], p[9000];
    const ev_rec *r;
    CHECK(ev_run("rm -f '%s' && truncate -s 40M '%s'", img, img) == 0);
    mbr[446 + 4] = 0x06;
    put32le(mbr + 446 + 8, s1), put32le(mbr + 446 + 12, n1);
    mbr[462 + 4] = 0x83;
    put32le(mbr + 462 + 8, s2), put32le(mbr + 462 + 12, n2);
    mbr[510] = 0x55, mbr[511] = 0xAA;
    CHECK(ev_patch(img, 0, mbr, 512) == 0);
    CHECK(make_fat(img, 1) == 0);
    CHECK(ev_patch(img, (long)s1 * 512 + PNG_OFF, png, png_l) == 0);
    CHECK(ev_run("mke2fs -q -F -t ext4 -b 4096 -d '%s' -E offset=%lu '%s' 20M", tmp("src"),
                 (unsigned long)s2 * 512, img) == 0);
    CHECK(ev_patch(img, gif_off, im_gif1x1, sizeof im_gif1x1) == 0);
    ev_walk(img, NULL, l);
    snprintf(pre, sizeof pre, "%s!/p1/", img);
    check_fat_items(l, pre, (int64_t)s1 * 512);
    snprintf(p, sizeof p, "%s!/p2/DCIM/IMG_0002.JPG", img);
    r = expect(l, p, 0, exif_md5);
    CHECK(r && r->offset > (int64_t)s2 * 512);
    snprintf(p, sizeof p, "%s!/unpartitioned/$Carved/%012ld.gif", img, gif_off);
    r = expect(l, p, VG_ITEM_CARVED | VG_ITEM_UNALLOC, NULL);
    CHECK(r && r->size == sizeof im_gif1x1 && r->offset == gif_off);
}

/* GPT (protective MBR, header, 128 entries, CRCs): p1 FAT16 at LBA 2048. */
static void gpt(ev_log *l)
{
    const char *img = tmp("gpt.img");
    const uint64_t total = 40 * 2048, first = 2048, last = 2048 + 32768 - 1;
    uint8_t mbr[512] = {0}, hdr[512] = {0}, ent[128 * 128] = {0};
    char pre[9000];
    CHECK(ev_run("rm -f '%s' && truncate -s 40M '%s'", img, img) == 0);
    mbr[446 + 4] = 0xEE;
    put32le(mbr + 446 + 8, 1), put32le(mbr + 446 + 12, (uint32_t)(total - 1));
    mbr[510] = 0x55, mbr[511] = 0xAA;
    memcpy(ent, "\xA2\xA0\xD0\xEB\xE5\xB9\x33\x44\x87\xC0\x68\xB6\xB7\x26\x99\xC7", 16);
    memset(ent + 16, 0x11, 16);
    put32le(ent + 32, (uint32_t)first), put32le(ent + 40, (uint32_t)last);
    ent[56] = 'P';
    memcpy(hdr, "EFI PART", 8);
    put32le(hdr + 8, 0x00010000), put32le(hdr + 12, 92);
    put32le(hdr + 24, 1), put32le(hdr + 32, (uint32_t)(total - 1));
    put32le(hdr + 40, 34), put32le(hdr + 48, (uint32_t)(total - 34));
    memset(hdr + 56, 0x22, 16);
    put32le(hdr + 72, 2), put32le(hdr + 80, 128), put32le(hdr + 84, 128);
    put32le(hdr + 88, (uint32_t)crc32(0, ent, sizeof ent));
    put32le(hdr + 16, (uint32_t)crc32(0, hdr, 92));
    CHECK(ev_patch(img, 0, mbr, 512) == 0 && ev_patch(img, 512, hdr, 512) == 0 &&
          ev_patch(img, 1024, ent, sizeof ent) == 0);
    CHECK(make_fat(img, 1) == 0);
    CHECK(ev_patch(img, (long)first * 512 + PNG_OFF, png, png_l) == 0);
    ev_walk(img, NULL, l);
    snprintf(pre, sizeof pre, "%s!/p1/", img);
    check_fat_items(l, pre, (int64_t)first * 512);
}

/* Split raw: fat.img as fat.001 + fat.002, found from the first segment. */
static void split_raw(ev_log *l)
{
    char pre[9000];
    CHECK(ev_run("cd '%s' && rm -f fat.0* && split -b 8M -d -a 3 --numeric-suffixes=1 fat.img fat.",
                 dir) == 0);
    ev_walk(tmp("fat.001"), NULL, l);
    snprintf(pre, sizeof pre, "%s!/", tmp("fat.001"));
    check_fat_items(l, pre, 0);
}

/* NTFS: mkntfs + ntfscp, one file deleted by the libntfs-3g helper. */
static void ntfs(ev_log *l)
{
    const char *img = tmp("ntfs.img");
    char p[9000];
    const ev_rec *del, *r;
#ifndef NTFS_RM
    printf("skip: NTFS case needs libntfs-3g (ntfs-3g-dev) at build time\n");
    return;
#else
    if (!ev_have("mkntfs") || !ev_have("ntfscp")) {
        printf("skip: NTFS case needs mkntfs and ntfscp (Debian ntfs-3g)\n");
        return;
    }
    CHECK(ev_run("rm -f '%s' && truncate -s 32M '%s' && mkntfs -q -F -f -L TESTNTFS '%s' >/dev/null 2>&1 "
                 "&& ntfscp '%s' '%s' IMG_0001.JPG >/dev/null && ntfscp '%s' '%s' IMG_0002.JPG >/dev/null "
                 "&& ASAN_OPTIONS=detect_leaks=0 '%s' '%s' IMG_0001.JPG",
                 img, img, img, img, tmp("src/DCIM/IMG_0001.JPG"), img, tmp("src/DCIM/IMG_0002.JPG"),
                 NTFS_RM, img) == 0);
    ev_walk(img, NULL, l);
    snprintf(p, sizeof p, "%s!/IMG_0002.JPG", img);
    r = expect(l, p, 0, exif_md5);
    CHECK(r && r->size == exif_l && r->offset > 0);
    snprintf(p, sizeof p, "%s!/IMG_0002.JPG!/$ExifThumbnail.jpg", img);
    expect(l, p, 0, thumb_md5);
    snprintf(p, sizeof p, "%s!/IMG_0001.JPG", img);
    del = expect(l, p, VG_ITEM_DELETED, main_md5);
    if (del) {
        snprintf(p, sizeof p, "%s!/$Carved/%012lld.jpeg", img, (long long)del->offset);
        expect(l, p, VG_ITEM_CARVED | VG_ITEM_UNALLOC, main_md5);
    }
    for (size_t i = 0; i < l->n; i++) /* reserved MFT entries are not listed as orphans */
        CHECK_MSG(!strstr(l->r[i].path, "OrphanFile-"), "%s", l->r[i].path);
#endif
}

static void e01(ev_log *l)
{
    vg_evidence_opts o;
    char pre[9000], md5[33], want[33];
    const ev_rec *r;
    size_t len;
    uint8_t *raw;
    vg_error e;
    if (!ev_have("ewfacquire")) {
        printf("skip: ewfacquire not installed (Debian ewf-tools): E01 test not run\n");
        return;
    }
    CHECK(ev_run("cd '%s' && rm -f ev.E01 && ewfacquire -u -q -t ev -f encase6 -c deflate:fast "
                 "-C CASE-0001 -E EV-01 -e Examiner -D test -N benign -m removable -M logical "
                 "fat.img >/dev/null 2>&1", dir) == 0);
    raw = test_slurp(tmp("fat.img"), &len);
    CHECK(raw != NULL);
    if (raw)
        ev_md5(raw, len, want);
    free(raw);
    CHECK_INTEQ(vg_ewf_verify(tmp("ev.E01"), md5, &e), VG_OK);
    CHECK_STREQ(md5, want);
    vg_evidence_opts_default(&o);
    o.verify_image = 1;
    ev_walk(tmp("ev.E01"), &o, l);
    r = ev_find(l, tmp("ev.E01"));
    CHECK(r && r->flags == (VG_ITEM_CONTAINER | VG_ITEM_IMAGE_HASH_OK) && r->status == VG_OK);
    snprintf(pre, sizeof pre, "%s!/", tmp("ev.E01"));
    check_fat_items(l, pre, 0);

    /* a segmented set in a directory: walked once, from its first segment */
    CHECK(ev_run("cd '%s' && rm -rf segs && mkdir segs && ewfacquire -u -q -t segs/seg -f encase6 "
                 "-S 4MiB -c none -C C -E E -e E -D t -N b -m removable -M logical fat.img "
                 ">/dev/null 2>&1", dir) == 0);
    ev_walk(tmp("segs"), NULL, l);
    snprintf(pre, sizeof pre, "%s/seg.E01!/", tmp("segs"));
    check_fat_items(l, pre, 0);
    {
        int containers = 0, segments = 0;
        for (size_t i = 0; i < l->n; i++) {
            containers += (l->r[i].flags & VG_ITEM_CONTAINER) && l->r[i].kind == VG_SRC_FILE;
            segments += l->r[i].kind == VG_SRC_FILE;
        }
        CHECK_INTEQ(containers, 1);
        CHECK_MSG(segments >= 4, "%d segments", segments);
    }
}

static void corrupt(ev_log *l)
{
    uint8_t junk[65536];
    uint32_t x = 12345;
    char p[9000];
    int found = 0;
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (uint8_t)((x = x * 1103515245u + 12345u) >> 16);
    CHECK(ev_write(tmp("junk.img"), junk, sizeof junk) == 0);
    ev_walk(tmp("junk.img"), NULL, l);
    for (size_t i = 0; i < l->n; i++)
        found |= l->r[i].status == VG_ERR_FORMAT && strstr(l->r[i].error, "junk.img") &&
                 strstr(l->r[i].error, "no file system");
    CHECK_MSG(found, "corrupt image not reported");
    /* a FAT image cut short: whatever TSK makes of it, reported by name, no crash */
    {
        size_t len;
        uint8_t *f = test_slurp(tmp("fat.img"), &len);
        CHECK(f && ev_write(tmp("cut.img"), f, 40000) == 0);
        free(f);
    }
    ev_walk(tmp("cut.img"), NULL, l);
    snprintf(p, sizeof p, "%s", tmp("cut.img"));
    CHECK(l->n >= 1 && !strcmp(l->r[0].path, p));
    /* bit-flipped FAT metadata (boot sector, FATs, root directory): no crash,
     * every item under the image's name */
    for (int v = 0; v < 8; v++) {
        size_t len, bad = 0;
        uint8_t *f = test_slurp(tmp("fat.img"), &len);
        uint32_t y = 777u + (uint32_t)v;
        if (!f)
            break;
        for (int k = 0; k < 48; k++) {
            y = y * 1103515245u + 12345u;
            f[(y >> 8) % 65536] ^= (uint8_t)(1u << (y & 7));
        }
        CHECK(ev_write(tmp("flip.img"), f, len) == 0);
        free(f);
        ev_walk(tmp("flip.img"), NULL, l);
        for (size_t i = 0; i < l->n; i++)
            bad += strncmp(l->r[i].path, tmp("flip.img"), strlen(tmp("flip.img"))) != 0;
        CHECK_MSG(l->n >= 1 && bad == 0, "variant %d: %zu items, %zu stray", v, l->n, bad);
    }
}

int main(void)
{
    ev_log l = {0};
    static const char *tools[] = {"mkfs.vfat", "mcopy", "mdel", "mmd", "mke2fs", "debugfs", "truncate"};
    setenv("TZ", "UTC", 1);
    for (size_t i = 0; i < sizeof tools / sizeof tools[0]; i++)
        if (!ev_have(tools[i])) {
            printf("skip: %s not installed (scripts/bootstrap installs it)\n", tools[i]);
            return 77;
        }
    snprintf(dir, sizeof dir, "%s", test_tmpdir());
    make_inputs();
    fat(&l);
    ext4(&l);
    mbr(&l);
    gpt(&l);
    split_raw(&l);
    ntfs(&l);
    e01(&l);
    corrupt(&l);
    free(l.r);
    free(main_j), free(thumb_j), free(exif_j), free(png), free(zip);
    TEST_DONE();
}
