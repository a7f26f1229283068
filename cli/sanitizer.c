/*
** sanitizer.c — what LeakSanitizer is told when the sarx command is built
** with it (make SAN=1).  librsvg draws the PNG figures (png.c) through
** pango and fontconfig, which keep their font caches for the whole process
** by design and never free them: about 100 KB that LeakSanitizer would
** report at exit as leaks of the command, failing every run with --plot.
** Only those libraries' allocations are left out; sarx's own are checked.
** ThreadSanitizer sees fontconfig's initialisation thread, which pango
** starts, read what the main thread wrote, through synchronisation inside
** those uninstrumented libraries that it cannot see: their accesses are
** left out, never sarx's.  Without a sanitizer these are never called.
*/
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n"
           "leak:libpango\n"
           "leak:libharfbuzz\n";
}

const char *__tsan_default_suppressions(void);
const char *__tsan_default_suppressions(void)
{
    return "called_from_lib:libfontconfig.so.1\n"
           "called_from_lib:libpango-1.0.so.0\n"
           "called_from_lib:libpangoft2-1.0.so.0\n"
           "called_from_lib:libglib-2.0.so.0\n"
           "race:libfontconfig.so.1\n"
           "race:libpango-1.0.so.0\n"
           "race:libpangoft2-1.0.so.0\n"
           "race:libglib-2.0.so.0\n";
}
