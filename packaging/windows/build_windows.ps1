# Builds the Windows installer on a Windows 10/11 x64 machine with Python 3.10+ and Inno Setup 6.3+:
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build_windows.ps1
# Output: dist\camera-monitor\ (one-folder build) and dist\camera-monitor-VERSION-windows-x64-setup.exe
# Set $env:ISCC to iscc.exe if Inno Setup is not in its default folder.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

function Invoke-Checked([string]$Exe, [string[]]$Arguments) {
    & $Exe @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Exe $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

$python = if ($env:PYTHON) { $env:PYTHON } else { "python" }
Invoke-Checked $python @("-m", "pip", "install", "--disable-pip-version-check", "-q", "-e", ".[packaging]")
$version = (& $python -c "from importlib.metadata import version; print(version('camera-monitor'))").Trim()
Write-Host "== PyInstaller (one-folder) for camera-monitor $version"
Invoke-Checked $python @("-m", "PyInstaller", "--noconfirm", "--clean", "--distpath", "dist", "--workpath", "build\pyinstaller", "packaging\camera-monitor.spec")

# Smoke test: the console twin runs the demo offscreen and every tile shows frames.
Write-Host "== smoke test"
$cli = "dist\camera-monitor\camera-monitor-cli.exe"
$printed = (& $cli --version | Out-String).Trim()
if ($printed -ne "camera-monitor $version") { throw "--version printed '$printed'" }
$work = Join-Path $env:TEMP ("camera-monitor-smoke-" + [guid]::NewGuid())
New-Item -ItemType Directory -Path $work | Out-Null
$env:QT_QPA_PLATFORM = "offscreen"
$env:CAMERA_MONITOR_CONFIG_DIR = Join-Path $work "config"
Invoke-Checked $cli @("--demo", "--exit-after", "5", "--stats-json", "$work\stats.json")
$stats = Get-Content "$work\stats.json" -Raw | ConvertFrom-Json
$bad = @($stats.tiles | Where-Object { $_.state -ne "live" -or $_.frames_displayed -lt 10 })
if ($stats.tiles.Count -lt 4 -or $bad.Count -gt 0) { throw "tiles not live with frames: $($bad | ConvertTo-Json)" }
if (-not (Test-Path "$work\config\logs\camera-monitor.log")) { throw "no log file in the per-user log folder" }
Remove-Item Env:QT_QPA_PLATFORM, Env:CAMERA_MONITOR_CONFIG_DIR
Remove-Item -Recurse -Force $work
Write-Host "   ok: $($stats.tiles.Count) tiles live"

$iscc = if ($env:ISCC) { $env:ISCC } else { Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
Write-Host "== Inno Setup: $iscc"
Invoke-Checked $iscc @("/DAppVersion=$version", "packaging\windows\camera-monitor.iss")
Remove-Item -Recurse -Force build\pyinstaller
Get-Item "dist\camera-monitor-$version-windows-x64-setup.exe"
