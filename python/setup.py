"""Builds sarx._sarx, the C extension, against libsarx (docs/PYTHON.md).

Which libsarx, by environment variable:
  SARX_BUILD=DIR   the repository's build directory DIR (its libsarx.a is
                   linked in statically, so the package needs no libsarx.so
                   at run time; headers from the repository's include/;
                   jansson from the system, pkg-config jansson)
  (unset)          an installed libsarx, found by pkg-config sarx
                   (PKG_CONFIG_PATH for another prefix): linked dynamically
SARX_SANFLAGS: extra compiler and linker flags (make check SAN=1 passes
UBSan's).
"""
import os
import shlex
import subprocess

from setuptools import Extension, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def pkg_config(*args):
    try:
        out = subprocess.run(["pkg-config", *args], check=True, capture_output=True, text=True).stdout
    except (OSError, subprocess.CalledProcessError) as e:
        raise SystemExit(f"sarx: pkg-config {' '.join(args)} failed ({e}): install libsarx, or set SARX_BUILD "
                         "to the repository's build directory (docs/PYTHON.md)") from None
    return shlex.split(out)


def flags():
    build = os.environ.get("SARX_BUILD")
    if build:
        build = os.path.abspath(build)
        lib = os.path.join(build, "libsarx.a")
        if not os.path.exists(lib):
            raise SystemExit(f"sarx: SARX_BUILD={build}: no libsarx.a there (run make in the repository)")
        include = os.environ.get("SARX_INCLUDE", os.path.join(HERE, "..", "include"))
        # libsarx's symbols stay inside the extension (--exclude-libs)
        return ["-I" + include], [lib] + pkg_config("--libs", "jansson") + ["-lm", "-Wl,--exclude-libs,ALL"]
    return pkg_config("--cflags", "sarx"), pkg_config("--libs", "sarx")


cflags, ldflags = flags()
san = shlex.split(os.environ.get("SARX_SANFLAGS", ""))
ext = Extension(
    "sarx._sarx",
    sources=["src/_sarx.c", "src/columns.c", "src/csvfile.c"],
    depends=["src/columns.h", "src/csvfile.h"],
    # the repository's warnings (the Makefile's WARN), as errors
    extra_compile_args=["-std=c11", "-Wall", "-Wextra", "-Werror", "-Wshadow", "-Wstrict-prototypes",
                        "-Wmissing-prototypes", "-Wpointer-arith", "-Wformat=2", "-Wundef", "-Wvla",
                        "-Wno-missing-field-initializers", "-Wno-cast-function-type"] + cflags + san,
    extra_link_args=ldflags + san,
)
setup(packages=["sarx"], ext_modules=[ext])
