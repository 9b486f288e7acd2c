/* The review server's request helpers (ave/review.h): path resolution, the
 * Range header, a save applied to a folder's files, and a server started on
 * a scratch folder answering 403 without the token and 200 with it over a
 * real socket. The browser side is tests/e2e/test_review.sh. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdatomic.h>

#include "ave/ave.h"
#include "ave/review.h"
#include "check.h"

static int resolves(const char *url, const char *want)
{
    char rel[256];
    int r = ave_review_resolve(url, rel, sizeof(rel));
    if (!want)
        return r == AVE_ERR_INPUT;
    return r == 0 && !strcmp(rel, want);
}

static void test_resolve(void)
{
    CHECK(resolves("/", ""));
    CHECK(resolves("/media/talk.mp4", "media/talk.mp4"));
    CHECK(resolves("/subtitles/", "subtitles"));
    CHECK(resolves("/a%20b/c%2Ed", "a b/c.d"));
    CHECK(resolves("/..", NULL));
    CHECK(resolves("/a/../b", NULL));
    CHECK(resolves("/a/./b", NULL));
    CHECK(resolves("/%2e%2e/x", NULL)); /* an encoded ".." is still ".." */
    CHECK(resolves("/a%2fb", NULL));    /* an encoded slash */
    CHECK(resolves("/a%5cb", NULL));    /* a backslash */
    CHECK(resolves("/a%00b", NULL));    /* a NUL */
    CHECK(resolves("/a%0ab", NULL));    /* a control byte */
    CHECK(resolves("/a%zzb", NULL));    /* a bad escape */
    CHECK(resolves("/a%2", NULL));
    CHECK(resolves("//etc/passwd", NULL));       /* an empty segment */
    CHECK(resolves("/.ave-outputs.json", NULL)); /* hidden */
    CHECK(resolves("a/b", NULL));
    CHECK(resolves("/a?b", NULL));
    char small[4];
    CHECK_EQ_INT(ave_review_resolve("/abcdef", small, sizeof(small)), AVE_ERR_INPUT);
}

static void test_range(void)
{
    uint64_t a, z;
    CHECK_EQ_INT(ave_review_range(NULL, 100, &a, &z), 0);
    CHECK_EQ_INT(ave_review_range("bytes=0-", 100, &a, &z), 1);
    CHECK(a == 0 && z == 99);
    CHECK_EQ_INT(ave_review_range("bytes=10-19", 100, &a, &z), 1);
    CHECK(a == 10 && z == 19);
    CHECK_EQ_INT(ave_review_range("bytes=90-500", 100, &a, &z), 1);
    CHECK(a == 90 && z == 99);
    CHECK_EQ_INT(ave_review_range("bytes=-30", 100, &a, &z), 1);
    CHECK(a == 70 && z == 99);
    CHECK_EQ_INT(ave_review_range("bytes=-300", 100, &a, &z), 1);
    CHECK(a == 0 && z == 99);
    CHECK_EQ_INT(ave_review_range("bytes=100-", 100, &a, &z), AVE_ERR_INPUT);
    CHECK_EQ_INT(ave_review_range("bytes=20-10", 100, &a, &z), AVE_ERR_INPUT);
    CHECK_EQ_INT(ave_review_range("bytes=-0", 100, &a, &z), AVE_ERR_INPUT);
    CHECK_EQ_INT(ave_review_range("bytes=0-1,5-6", 100, &a, &z), 0); /* lists: whole file */
    CHECK_EQ_INT(ave_review_range("items=0-1", 100, &a, &z), 0);
    CHECK_EQ_INT(ave_review_range("bytes=99999999999999999999-", 100, &a, &z), 0);
}

static const char timeline[] =
    "{\"version\":1,\"input\":\"talk.mp4\",\"source_duration\":4,\"edited_duration\":3,"
    "\"kept\":[],\"removed\":[],\"segments\":["
    "{\"start\":0,\"end\":3,\"action\":\"keep\",\"reason\":\"keep\"},"
    "{\"start\":3,\"end\":4,\"action\":\"cut\",\"reason\":\"silence\"}]}";
static const char transcript[] = "{\"words\":[{\"text\":\"the\",\"start\":0.1,\"end\":0.3},"
                                 "{\"text\":\"quick\",\"start\":0.3,\"end\":0.6},"
                                 "{\"text\":\"fox\",\"start\":3.2,\"end\":3.5,\"cut\":true}]}";

static int save(const char *body, ave_review_save *sv, char *err)
{
    return ave_review_apply_save(timeline, strlen(timeline), transcript, strlen(transcript), "v1",
                                 body, strlen(body), sv, err, 256);
}

static void test_save(void)
{
    ave_review_save sv;
    char err[256];

    /* Cut "quick", correct "the": the segments replace the old ones, the
     * derived lists go, the brackets stay as transcript.json has them. */
    CHECK_EQ_INT(
        save("{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":0.3,\"action\":\"keep\","
             "\"reason\":\"keep\"},{\"start\":0.3,\"end\":0.6,\"action\":\"cut\",\"reason\":"
             "\"manual\"},{\"start\":0.6,\"end\":3,\"action\":\"keep\",\"reason\":\"keep\"},"
             "{\"start\":3,\"end\":4,\"action\":\"cut\",\"reason\":\"silence\"}],"
             "\"words\":[{\"i\":0,\"text\":\"The\"}]}",
             &sv, err),
        0);
    CHECK(sv.timeline_json && strstr(sv.timeline_json, "\"manual\""));
    CHECK(sv.timeline_json && !strstr(sv.timeline_json, "\"kept\""));
    CHECK(sv.timeline_json && strstr(sv.timeline_json, "\"input\":\t\"talk.mp4\""));
    CHECK(sv.transcript_txt && strstr(sv.transcript_txt, "The quick"));
    CHECK(sv.transcript_txt && strstr(sv.transcript_txt, "[fox]"));
    CHECK_EQ_INT(sv.corrected, 1);
    ave_review_save_free(&sv);

    /* Stale: another version of timeline.json. */
    CHECK_EQ_INT(save("{\"base\":\"v0\",\"segments\":[]}", &sv, err), AVE_ERR_USAGE);
    CHECK(strstr(err, "stale") != NULL);
    CHECK(sv.timeline_json == NULL);

    /* Wrong bodies, each refused with a reason. */
    static const char *const bad[] = {
        "not json",
        "{\"base\":\"v1\"}",
        "{\"base\":\"v1\",\"segments\":[]}",
        "{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":5,\"action\":\"keep\",\"reason\":"
        "\"keep\"}]}",
        "{\"base\":\"v1\",\"segments\":[{\"start\":1,\"end\":2,\"action\":\"keep\",\"reason\":"
        "\"keep\"},"
        "{\"start\":0,\"end\":1,\"action\":\"cut\",\"reason\":\"manual\"}]}",
        "{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":4,\"action\":\"drop\",\"reason\":"
        "\"keep\"}]}",
        "{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":4,\"action\":\"cut\",\"reason\":"
        "\"why\"}]}",
        "{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":4,\"action\":\"keep\",\"reason\":"
        "\"keep\"}],"
        "\"words\":[{\"i\":3,\"text\":\"x\"}]}",
        "{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":4,\"action\":\"keep\",\"reason\":"
        "\"keep\"}],"
        "\"words\":[{\"i\":0,\"text\":\"two words\"}]}",
        "{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":4,\"action\":\"keep\",\"reason\":"
        "\"keep\"}],"
        "\"words\":[{\"i\":0,\"text\":\"[cut]\"}]}",
        "{\"base\":\"v1\",\"segments\":[{\"start\":0,\"end\":4,\"action\":\"keep\",\"reason\":"
        "\"keep\"}],"
        "\"words\":[{\"i\":0.5,\"text\":\"x\"}]}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        int r = save(bad[i], &sv, err);
        CHECK_EQ_INT(r, AVE_ERR_USAGE);
        CHECK(err[0] != '\0');
        CHECK(sv.timeline_json == NULL && sv.transcript_txt == NULL);
    }
}

/* A stand-in for the render job: reports progress for about 0.2 s on the
 * server's render thread (so ThreadSanitizer sees it beside the HTTP
 * thread), stopping early when cancelled. */
static int fake_render(void *opaque, const char *output_dir, const ave_job_callbacks *cb, char *err,
                       size_t errlen)
{
    int *calls = opaque;
    (void)output_dir;
    (void)err;
    (void)errlen;
    (*calls)++;
    for (int i = 0; i < 20 && !atomic_load(cb->cancel_flag); i++) {
        cb->progress(cb->opaque, "render", i / 20.0, 0);
        usleep(10000);
    }
    return 0;
}

/* method path over a socket; the status code, or -1. */
static int http(int port, const char *method, const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    char req[512], resp[64] = "";
    int code = -1;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        goto out;
    int n = snprintf(req, sizeof(req),
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nContent-Length: 0\r\n"
                     "Connection: close\r\n\r\n",
                     method, path, port);
    if (write(fd, req, (size_t)n) != n)
        goto out;
    if (read(fd, resp, sizeof(resp) - 1) > 12)
        sscanf(resp, "HTTP/1.1 %d", &code);
out:
    if (fd >= 0)
        close(fd);
    return code;
}

static void test_server(void)
{
    char dir[] = "/tmp/ave-test-review-XXXXXX", path[512], err[256], get[256], path2[256];
    ave_review *rv = NULL;
    CHECK(mkdtemp(dir) != NULL);
    int renders = 0;
    ave_review_config cfg = {.output_dir = dir,
                             .input = "/nonexistent/talk.mp4",
                             .render = fake_render,
                             .render_opaque = &renders};
    /* Not an output folder yet. */
    CHECK_EQ_INT(ave_review_start(&rv, &cfg, err, sizeof(err)), AVE_ERR_INPUT);
    CHECK(rv == NULL && strstr(err, "timeline.json"));
    snprintf(path, sizeof(path), "%s/timeline.json", dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    if (f) {
        fputs(timeline, f);
        fclose(f);
    }
    CHECK_EQ_INT(ave_review_start(&rv, &cfg, err, sizeof(err)), 0);
    const char *url = ave_review_url(rv);
    int port = 0;
    char token[64] = "";
    CHECK(sscanf(url, "http://127.0.0.1:%d/?token=%63s", &port, token) == 2);
    CHECK_EQ_INT(strlen(token), 32);
    CHECK_EQ_INT(http(port, "GET", "/timeline.json"), 403);
    snprintf(get, sizeof(get), "/timeline.json?token=%s", token);
    CHECK_EQ_INT(http(port, "GET", get), 200);
    snprintf(get, sizeof(get), "/media/talk.mp4?token=%s", token);
    CHECK_EQ_INT(http(port, "GET", get), 404); /* the input is missing */
    snprintf(get, sizeof(get), "/api/render?token=%s", token);
    CHECK_EQ_INT(http(port, "GET", get), 200);
    /* One render at a time; a save waits for it; then it is done. */
    CHECK_EQ_INT(http(port, "POST", get), 202);
    CHECK_EQ_INT(http(port, "POST", get), 409);
    snprintf(path2, sizeof(path2), "/api/save?token=%s", token);
    CHECK_EQ_INT(http(port, "POST", path2), 409);
    usleep(600000);                             /* the stand-in takes about 0.2 s */
    CHECK_EQ_INT(http(port, "POST", get), 202); /* the first has finished */
    ave_review_stop(rv);                        /* cancels and joins the second */
    CHECK_EQ_INT(renders, 2);
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    ave_log_set_level(AVE_LOG_ERROR);
    test_resolve();
    test_range();
    test_save();
    test_server();
    return CHECK_DONE();
}
