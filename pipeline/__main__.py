"""`python -m pipeline ...`: the same as the `newsline` console script."""

from pipeline.run import console

if __name__ == "__main__":
    console()
