/*
** sanitizer.c — what LeakSanitizer is told when the sarx command is built
** with it (make SAN=1).  librsvg draws the PNG figures (png.c) through
** pango and fontconfig, which keep their font caches for the whole process
** by design and never free them: about 100 KB that LeakSanitizer would
** report at exit as leaks of the command, failing every run with --plot.
** Only those libraries' allocations are left out; sarx's own are checked.
** Without a sanitizer this function is never called.
*/
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libfontconfig.so\n"
           "leak:libpango\n"
           "leak:libharfbuzz\n";
}
