"""torchrun, as `python3 -m aespec_torch.launch ARGS...` with torchrun's own arguments: torch's launcher
(torch.distributed.run), mended where torch 1.13 meets Python 3.11 (Debian's python3-torch): its
Std.from_str returns None for "0", the default of --redirects and --tee, because iterating an
enum.Flag there no longer yields the zero member, and the launcher then fails before it starts a
worker. Elsewhere this is torchrun unchanged."""
import re
import sys

from torch.distributed import run
from torch.distributed.elastic.multiprocessing import api


def _from_str(cls, vm):
    if re.fullmatch(r"\d", vm):
        return cls(int(vm))
    if re.fullmatch(r"\d:\d(,\d:\d)*", vm):
        return {int(i): cls(int(v)) for i, v in (m.split(":") for m in vm.split(","))}
    raise ValueError(f"{vm} does not match <0-3> or <rank:0-3,...>")


if api.Std.from_str("0") is None:
    api.Std.from_str = classmethod(_from_str)

if __name__ == "__main__":
    sys.exit(run.main())
