"""The runtime of a package that `aespec compile --emit pytorch` writes: the layers,
bottlenecks, corruptions, loss terms, optimizers and trainer that the generated
model.py is built from, with the definitions of the tfjs target (docs/pytorch.md).
Needs Python 3 with torch >= 1.13 and numpy; nothing of Node."""
