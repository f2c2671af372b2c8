"""`python -m checker.cli`: the cydcheck command line."""

from . import main

if __name__ == "__main__":
    main()
