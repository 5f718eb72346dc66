// zlib, for gzip-compressed vector tiles and PMTiles directories.
#include <zlib.h>

// deflateInit2 and inflateInit2 are macros over functions taking the library version and the
// stream size; Swift cannot call the macros, so these wrappers do.
static inline int ga_deflate_init_gzip(z_streamp stream, int level) {
    // windowBits 15 + 16 asks zlib for a gzip header and trailer rather than a zlib one.
    return deflateInit2(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
}

static inline int ga_inflate_init_gzip(z_streamp stream) {
    // windowBits 15 + 32 detects gzip or zlib headers automatically.
    return inflateInit2(stream, 15 + 32);
}
