/* Batch input discovery (extensions, sorting, hidden files, recursion,
 * explicit files, duplicates, errors) and unique output folder names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ave/ave.h"
#include "ave/batch.h"
#include "check.h"

static char root[256];

static void touch(const char *rel)
{
    char p[512];
    snprintf(p, sizeof(p), "%s/%s", root, rel);
    for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(p, 0755); /* parents of nested test files */
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    if (f) {
        fputs("x", f);
        fclose(f);
    }
}

static const char *base(const char *p)
{
    const char *b = strrchr(p, '/');
    return b ? b + 1 : p;
}

static void test_discover(void)
{
    char sub[512], empty[512], err[256];
    snprintf(sub, sizeof(sub), "%s/sub", root);
    snprintf(empty, sizeof(empty), "%s/empty", root);
    mkdir(sub, 0755);
    mkdir(empty, 0755);
    touch("b.WAV");
    touch("a.mp4");
    touch("c.txt");
    touch(".hidden.mp4");
    touch("noext");
    touch("sub/d.mkv");
    touch("sub/0.mov");
    /* Results of an earlier batch and of one job inside the input folder. */
    touch("out/.ave-batch/jobs.db");
    touch("out/a/video/edited.mp4");
    touch("job/.ave-outputs.json");
    touch("job/video/edited.mp4");

    char **list = NULL;
    size_t n = 0;
    const char *args[] = {root};
    CHECK_EQ_INT(ave_batch_discover(args, 1, 0, &list, &n, err, sizeof(err)), 0);
    CHECK_EQ_INT(n, 2);
    if (n == 2) {
        CHECK(!strcmp(base(list[0]), "a.mp4"));
        CHECK(!strcmp(base(list[1]), "b.WAV"));
        CHECK(list[0][0] == '/'); /* absolute */
    }
    ave_batch_free_list(list, n);

    CHECK_EQ_INT(ave_batch_discover(args, 1, 1, &list, &n, err, sizeof(err)), 0);
    CHECK_EQ_INT(n, 4);
    if (n == 4) {
        CHECK(!strcmp(base(list[2]), "0.mov")); /* subfolders after the folder's files */
        CHECK(!strcmp(base(list[3]), "d.mkv"));
    }
    ave_batch_free_list(list, n);

    /* Explicit files keep their order, any extension, duplicates dropped. */
    char f1[512], f2[512], f3[512];
    snprintf(f1, sizeof(f1), "%s/c.txt", root);
    snprintf(f2, sizeof(f2), "%s/a.mp4", root);
    snprintf(f3, sizeof(f3), "%s/sub/../a.mp4", root);
    const char *files[] = {f1, f2, f3, root};
    CHECK_EQ_INT(ave_batch_discover(files, 4, 0, &list, &n, err, sizeof(err)), 0);
    CHECK_EQ_INT(n, 3);
    if (n == 3) {
        CHECK(!strcmp(base(list[0]), "c.txt"));
        CHECK(!strcmp(base(list[1]), "a.mp4"));
        CHECK(!strcmp(base(list[2]), "b.WAV"));
    }
    ave_batch_free_list(list, n);

    const char *missing[] = {"/nonexistent/x.mp4"};
    CHECK_EQ_INT(ave_batch_discover(missing, 1, 0, &list, &n, err, sizeof(err)), AVE_ERR_INPUT);
    CHECK(strstr(err, "/nonexistent/x.mp4") != NULL);
    CHECK_EQ_INT(n, 0);
    const char *none[] = {empty};
    CHECK_EQ_INT(ave_batch_discover(none, 1, 0, &list, &n, err, sizeof(err)), AVE_ERR_INPUT);
    CHECK(strstr(err, "no video or audio files") != NULL);

    CHECK_EQ_INT(ave_batch_is_media_name("x/Y.MKV"), 1);
    CHECK_EQ_INT(ave_batch_is_media_name("x.y/readme"), 0);
    CHECK_EQ_INT(ave_batch_is_media_name(".mp4"), 0);
}

static void test_output_names(void)
{
    char name[64];
    CHECK_EQ_INT(ave_batch_output_name("/a/talk.mp4", NULL, 0, name, sizeof(name)), 0);
    CHECK(!strcmp(name, "talk"));
    const char *taken[] = {"/out/talk", "/out/talk-2", "/out/other"};
    CHECK_EQ_INT(ave_batch_output_name("/b/talk.mov", taken, 3, name, sizeof(name)), 0);
    CHECK(!strcmp(name, "talk-3"));
    CHECK_EQ_INT(ave_batch_output_name("/b/talk.mov", taken, 1, name, sizeof(name)), 0);
    CHECK(!strcmp(name, "talk-2"));
    CHECK_EQ_INT(ave_batch_output_name("/b/archive.tar.gz", NULL, 0, name, sizeof(name)), 0);
    CHECK(!strcmp(name, "archive.tar"));
    CHECK_EQ_INT(ave_batch_output_name("/b/.mp4", NULL, 0, name, sizeof(name)), 0);
    CHECK(!strcmp(name, ".mp4"));
    char tiny[4];
    CHECK_EQ_INT(ave_batch_output_name("/b/longname.mp4", NULL, 0, tiny, sizeof(tiny)),
                 AVE_ERR_USAGE);
}

int main(void)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(root, sizeof(root), "%s/test_batch_discover.XXXXXX", tmp ? tmp : "/tmp");
    if (!mkdtemp(root))
        return 1;
    test_discover();
    test_output_names();
    char cmd[512];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", root);
    return CHECK_DONE();
}
