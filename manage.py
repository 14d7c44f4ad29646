#!/usr/bin/env python
import sys

from mieruka.cli import execute

if __name__ == "__main__":
    execute(sys.argv)
