/* ntfs_rm.c - deletes one file from an NTFS image file through libntfs-3g,
 * without mounting anything: test helper for the deleted-file case.
 * Usage: ntfs_rm IMAGE NAME (a file in the root directory). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

#include <ntfs-3g/types.h>
#include <ntfs-3g/volume.h>
#include <ntfs-3g/dir.h>
#include <ntfs-3g/inode.h>
#include <ntfs-3g/unistr.h>

int main(int argc, char **argv)
{
    ntfs_volume *vol;
    ntfs_inode *dir, *ni;
    ntfschar *uname = NULL;
    char path[1024];
    int len, rc;
    if (argc != 3)
        return 2;
    snprintf(path, sizeof path, "/%s", argv[2]);
    if (!(vol = ntfs_mount(argv[1], NTFS_MNT_NONE)))
        return 1;
    dir = ntfs_pathname_to_inode(vol, NULL, "/");
    ni = ntfs_pathname_to_inode(vol, NULL, path);
    len = ntfs_mbstoucs(argv[2], &uname);
    rc = dir && ni && len > 0 ? ntfs_delete(vol, path, ni, dir, uname, (u8)len) : -1;
    free(uname);
    ntfs_umount(vol, FALSE);
    return rc == 0 ? 0 : 1;
}
