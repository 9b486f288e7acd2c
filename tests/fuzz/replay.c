/* A main() for the fuzz targets when libFuzzer is not linked: runs
 * LLVMFuzzerTestOneInput once on every file named, or found directly in a
 * folder named, on the command line. The target's own checks abort on a
 * wrong result and the sanitizers (make test-asan) catch memory errors, so
 * this exits 0 only when every input went through cleanly. A missing folder
 * is fine (a target may have no regression inputs yet); an empty run is not,
 * so a mistyped corpus path cannot pass silently. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int run_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    unsigned char *buf = NULL;
    long n;
    int ret = -1;

    if (!f) {
        perror(path);
        return -1;
    }
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    /* An exact-size copy, as libFuzzer passes it, so ASan sees overreads. */
    if (!(buf = malloc(n ? (size_t)n : 1)) || fread(buf, 1, (size_t)n, f) != (size_t)n)
        goto out;
    LLVMFuzzerTestOneInput(buf, (size_t)n);
    ret = 0;
out:
    if (ret < 0)
        fprintf(stderr, "%s: cannot read\n", path);
    free(buf);
    fclose(f);
    return ret;
}

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file directly in dir, in name order (repeatable runs). */
static int run_dir(const char *dir, int *count)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char **names = NULL;
    size_t n = 0;
    int ret = 0;

    if (!d)
        return 0; /* no such folder: nothing to replay */
    while ((e = readdir(d))) {
        char **g;
        if (e->d_name[0] == '.')
            continue;
        if (!(g = realloc(names, (n + 1) * sizeof(*g))) ||
            !(g[n] = malloc(strlen(dir) + strlen(e->d_name) + 2))) {
            names = g ? g : names;
            ret = -1;
            break;
        }
        names = g;
        sprintf(names[n++], "%s/%s", dir, e->d_name);
    }
    closedir(d);
    if (ret == 0 && n)
        qsort(names, n, sizeof(*names), cmp);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        if (ret == 0 && stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            ret = run_file(names[i]);
            ++*count;
        }
        free(names[i]);
    }
    free(names);
    return ret;
}

int main(int argc, char **argv)
{
    int count = 0;

    if (LLVMFuzzerInitialize)
        LLVMFuzzerInitialize(&argc, &argv);
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
            if (run_dir(argv[i], &count) < 0)
                return 1;
        } else if (stat(argv[i], &st) == 0) {
            if (run_file(argv[i]) < 0)
                return 1;
            count++;
        }
    }
    printf("%d input(s) replayed\n", count);
    return count ? 0 : 1;
}
