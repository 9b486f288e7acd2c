/* An input's file name as words for people ("my_trip-to-rome" -> "My Trip
 * To Rome"), used where nothing better is known: thumbnail text and neutral
 * titles (internal; shared by the content and thumbnails stages). */
#ifndef AVE_CORE_NAME_WORDS_H
#define AVE_CORE_NAME_WORDS_H

#include <stddef.h>

/* Write the words of name (a base name without extension) into out, each
 * capitalised, separated by single spaces: '_', '-', '.' and spaces split
 * words; tokens with digits are dropped unless they are a short number
 * ("Part 2"); camera and recorder prefixes ("IMG", "VID", "DSC", "GOPR",
 * "PXL"...) are dropped. Returns 1 when what is left reads as words (at
 * least one word of three or more letters), else 0 with out = "". */
int ave_name_words(const char *name, char *out, size_t len);

#endif
