"""`python -m checker`: the cydcheck command line."""

from .cli import main

if __name__ == "__main__":
    main()
