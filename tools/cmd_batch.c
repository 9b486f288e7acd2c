/* `ai-video-editor batch`: placeholder until its issue lands. */
#include "cli.h"

int cli_cmd_batch(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    cli_usage_error("'batch' is not available yet");
}
