/* The built-in performance profiles, as the original tool shipped them.
 *
 * Kept as YAML text and parsed by the same code as user files, so built-ins
 * and files cannot drift apart in format or validation, and the text doubles
 * as an example for users. A profiles file may redefine any of these names. */
#include "config_internal.h"

static const char builtin_yaml[] =
    "profiles:\n"
    "  speed_optimized:\n"
    "    description: \"Fastest turnaround: shallow analysis, medium-quality encode\"\n"
    "    mode: fast\n"
    "    quality: medium\n"
    "    parallel: true\n"
    "    max_memory: 4\n"
    "    enable_caching: true\n"
    "  quality_optimized:\n"
    "    description: \"Best result: deepest analysis, highest-quality encode\"\n"
    "    mode: high_quality\n"
    "    quality: ultra\n"
    "    parallel: true\n"
    "    max_memory: 12\n"
    "  resource_constrained:\n"
    "    description: \"Small machines: one thread, 2 GB, low-quality encode\"\n"
    "    mode: fast\n"
    "    quality: low\n"
    "    parallel: false\n"
    "    max_memory: 2\n"
    "    enable_caching: true\n"
    "    cache_size_gb: 1\n";

const char *profile_builtin_yaml(void)
{
    return builtin_yaml;
}
