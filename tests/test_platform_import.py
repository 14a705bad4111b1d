import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_import_platform_is_still_the_standard_library():
    # Run from the project root, where a `platform/` folder sits on sys.path[0].
    code = "import platform, sysconfig, sencohub; print(platform.__file__); print(platform.python_version()); print(sencohub.__path__[0])"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    stdlib = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert out[0].startswith(stdlib), out[0]
    assert out[1] == ".".join(map(str, sys.version_info[:3]))
    assert Path(out[2]) == ROOT / "platform"


def test_platform_folder_is_not_a_package():
    assert not (ROOT / "platform" / "__init__.py").exists()


def test_celery_and_sentry_import_platform_fine():
    code = "import sentry_sdk, celery, platform; assert callable(platform.system); print(platform.system())"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "Linux"
