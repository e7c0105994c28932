; Inno Setup 6.3+ script for Camera Monitor (64-bit Windows 10/11).
;
; Build on Windows from the repository root, after the PyInstaller one-folder build (see build_windows.ps1):
;   iscc /DAppVersion=0.1.0 packaging\windows\camera-monitor.iss
; Output: dist\camera-monitor-VERSION-windows-x64-setup.exe
;
; Installs per user by default (no administrator rights, {autopf} = %LOCALAPPDATA%\Programs); the user may choose
; "install for all users" in the privileges dialog. Settings, layouts and logs live in the user's AppData folders
; (platformdirs) and are left in place on uninstall.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Camera Monitor"
#define AppExe "camera-monitor.exe"
#define CliExe "camera-monitor-cli.exe"
#define Root "..\.."

[Setup]
; A fixed GUID: upgrades replace the earlier version in place. Never reuse it for another product.
AppId={{6E0B7C52-3F4D-4C1E-9A47-2D8B5E1F9C30}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Camera Monitor developers
AppPublisherURL=https://example.invalid/camera-monitor
AppSupportURL=https://example.invalid/camera-monitor
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
ChangesEnvironment=yes
CloseApplications=yes
OutputDir={#Root}\dist
OutputBaseFilename=camera-monitor-{#AppVersion}-windows-x64-setup
SetupIconFile={#Root}\resources\camera-monitor.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked
Name: "addtopath"; Description: "Add the camera-monitor-cli command to PATH (for terminals and scripts)"; GroupDescription: "Command line:"; Flags: unchecked

[Files]
; The whole PyInstaller one-folder build: both executables and _internal\ (Python, Qt, OpenCV, resources).
Source: "{#Root}\dist\camera-monitor\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not keep modules or Qt plugins that the new version no longer ships.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Watch many live cameras in one window"
Name: "{autoprograms}\{#AppName} (demo)"; Filename: "{app}\{#AppExe}"; Parameters: "--demo"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; PATH for the console executable: the user's PATH in a per-user install, the system PATH for all users.
Root: HKCU; Subkey: "Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddUserPath
Root: HKLM; Subkey: "SYSTEM\CurrentControlSet\Control\Session Manager\Environment"; ValueType: expandsz; ValueName: "Path"; ValueData: "{olddata};{app}"; Tasks: addtopath; Check: NeedsAddSystemPath

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#StringChange(AppName, '&', '&&')}}"; Flags: nowait postinstall skipifsilent

[Code]
const
  SystemEnvironment = 'SYSTEM\CurrentControlSet\Control\Session Manager\Environment';

function PathContains(Paths, Dir: string): Boolean;
begin
  Result := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';') > 0;
end;

function NeedsAddPath(RootKey: Integer; Subkey: string): Boolean;
var
  Paths: string;
begin
  if not RegQueryStringValue(RootKey, Subkey, 'Path', Paths) then
    Paths := '';
  Result := not PathContains(Paths, ExpandConstant('{app}'));
end;

{ Check functions take no arguments here: Check expressions accept only literal parameters. }
function NeedsAddUserPath: Boolean;
begin
  Result := (not IsAdminInstallMode) and NeedsAddPath(HKEY_CURRENT_USER, 'Environment');
end;

function NeedsAddSystemPath: Boolean;
begin
  Result := IsAdminInstallMode and NeedsAddPath(HKEY_LOCAL_MACHINE, SystemEnvironment);
end;

procedure RemoveFromPath(RootKey: Integer; Subkey: string);
var
  Paths, Dir: string;
  P: Integer;
begin
  if not RegQueryStringValue(RootKey, Subkey, 'Path', Paths) then
    exit;
  Dir := ExpandConstant('{app}');
  P := Pos(';' + Uppercase(Dir) + ';', ';' + Uppercase(Paths) + ';');
  if P = 0 then
    exit;
  { P indexes the padded string; in Paths the entry starts at P (after the padding ';' shift). }
  Delete(Paths, P, Length(Dir) + 1);
  if (Length(Paths) > 0) and (Paths[Length(Paths)] = ';') then
    Delete(Paths, Length(Paths), 1);
  RegWriteExpandStringValue(RootKey, Subkey, 'Path', Paths);
end;

procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
  begin
    if IsAdminInstallMode then
      RemoveFromPath(HKEY_LOCAL_MACHINE, SystemEnvironment)
    else
      RemoveFromPath(HKEY_CURRENT_USER, 'Environment');
  end;
end;
