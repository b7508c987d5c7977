"""One BLAS thread per process, and one OpenBLAS kernel on every x86 machine with AVX2.

How it works
------------
Importing ``sitebuild`` imports this module first, before anything loads numpy, and it sets
environment variables that numpy's OpenBLAS reads once, when it loads:

* Threads. Figures (another process), the notebook kernel (another process) and the pages
  are computed side by side, each with small matrix products. With a pool of spinning BLAS
  threads in each of the three, a 2-core machine took twice as long for a clean build. So
  ``OPENBLAS_NUM_THREADS`` (and its kin) is 1 unless it is set already; the processes the
  build starts inherit it.
* One kernel. OpenBLAS picks its matrix-product kernel by CPU, and its AVX-512 kernel
  ("SkylakeX") sums in another order than the AVX2 one ("Haswell"): the streetlights'
  errors then differ from the book's notebook in the last digit. Where the CPU has AVX2
  and FMA, ``OPENBLAS_CORETYPE=Haswell`` is set (unless it is set already), so every
  machine that builds the site prints the same digits as the notebook (``blas_kernel``).
"""

import os
from pathlib import Path

THREAD_VARIABLES = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def blas_kernel(cpuinfo="/proc/cpuinfo"):
    """The OpenBLAS kernel the build asks for: ``"Haswell"`` on an x86 CPU with AVX2 and FMA, else None
    (another CPU keeps OpenBLAS's own choice)."""
    try:
        flags = next((line.split(":", 1)[1].split() for line in Path(cpuinfo).read_text().splitlines()
                      if line.startswith("flags")), [])
    except OSError:
        return None
    return "Haswell" if {"avx2", "fma"} <= set(flags) else None


def pin():
    """Set the variables (module docstring) in this process's environment, where they are not set."""
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")
    kernel = blas_kernel()
    if kernel:
        os.environ.setdefault("OPENBLAS_CORETYPE", kernel)


pin()
