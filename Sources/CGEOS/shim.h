// GraveAtlas reaches GEOS only through its reentrant API.
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>

// GEOS reports notices and errors through printf-style variadic handlers, which Swift cannot
// implement. These wrappers install handlers that format the message into a buffer owned by the
// caller; the Swift side reads it back after a failed call.
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct { char text[1024]; } ga_geos_message;

static void ga_geos_store_message(const char *fmt, va_list ap, void *userdata) {
    ga_geos_message *slot = (ga_geos_message *)userdata;
    if (slot) { vsnprintf(slot->text, sizeof slot->text, fmt, ap); }
}

static void ga_geos_error_handler(const char *message, void *userdata) {
    ga_geos_message *slot = (ga_geos_message *)userdata;
    if (slot && message) { strncpy(slot->text, message, sizeof slot->text - 1); slot->text[sizeof slot->text - 1] = 0; }
}

static void ga_geos_notice_handler(const char *message, void *userdata) { (void)message; (void)userdata; }

/// Creates a GEOS context whose error messages are written into `slot`.
static inline GEOSContextHandle_t ga_geos_context_create(ga_geos_message *slot) {
    GEOSContextHandle_t handle = GEOS_init_r();
    if (handle) {
        GEOSContext_setErrorMessageHandler_r(handle, ga_geos_error_handler, slot);
        GEOSContext_setNoticeMessageHandler_r(handle, ga_geos_notice_handler, slot);
    }
    return handle;
}
