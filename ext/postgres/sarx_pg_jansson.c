/*
** sarx_pg_jansson.c — jansson's json_object() for libsarx inside the
** PostgreSQL extension, under another name.  The server exports an SQL
** function whose C name is json_object, and a call by that name from
** sarx.so would reach it; ext/postgres/Makefile renames libsarx's
** references to sarx_pg_json_object.  No PostgreSQL header here: they
** declare that other json_object.
*/
#include <jansson.h>

json_t *sarx_pg_json_object(void);

__attribute__((visibility("hidden"))) json_t *sarx_pg_json_object(void)
{
    return json_pack("{}"); /* a new empty object, as json_object() */
}
