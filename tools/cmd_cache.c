/* `ai-video-editor cache`: placeholder until its issue lands. */
#include "cli.h"

int cli_cmd_cache(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_usage_error("'cache' is not available yet");
}
