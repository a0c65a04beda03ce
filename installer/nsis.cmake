# The NSIS installer (included from installer/windows.cmake): Program Files\Vigil, Start-menu and
# desktop shortcuts, inbound firewall rules for SIP and RTP, and an uninstaller that removes only
# what was installed. Each user's settings (registry, HKCU\Software\Vigil) and data (%APPDATA%\Vigil,
# %LOCALAPPDATA%\Vigil) stay, so a reinstall finds them again.
set(CPACK_GENERATOR "NSIS")
set(CPACK_NSIS_PACKAGE_NAME "Vigil")
set(CPACK_NSIS_DISPLAY_NAME "Vigil ${PROJECT_VERSION}")
set(CPACK_NSIS_INSTALL_ROOT "$PROGRAMFILES64")
set(CPACK_NSIS_MUI_ICON "${VIGIL_RC_ICON}")
set(CPACK_NSIS_MUI_UNIICON "${VIGIL_RC_ICON}")
set(CPACK_NSIS_INSTALLED_ICON_NAME "bin\\vigil.exe")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_HELP_LINK "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# The installer keeps the install folder under Software\<vendor>\<this key> and its Apps & features
# entry under Uninstall\<this key>, and the uninstaller deletes both. The default, "Vigil", is the
# console's own settings key (QSettings: Software\Vigil\vigil; the registry ignores case), which
# an install without administrator rights (HKCU) would delete on uninstall.
set(CPACK_PACKAGE_INSTALL_REGISTRY_KEY "Vigil Setup")
set(CPACK_NSIS_EXECUTABLES_DIRECTORY "bin")
set(CPACK_NSIS_CREATE_ICONS_EXTRA [=[CreateShortCut "$DESKTOP\Vigil.lnk" "$INSTDIR\bin\vigil.exe"]=])
set(CPACK_NSIS_DELETE_ICONS_EXTRA [=[Delete "$DESKTOP\Vigil.lnk"]=])

# Devices reach the console and vigild on the SIP port (5060, UDP and TCP) and send video to the
# RTP port range (30000-30999); these are the defaults of the settings. The rules are limited to
# the two programs and share one name, so that one command removes them all.
set(VIGIL_FIREWALL_RULE "Vigil GB28181")
set(VIGIL_FIREWALL_PORTS "5060,30000-30999")
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS "")
string(APPEND CPACK_NSIS_EXTRA_INSTALL_COMMANDS
    "nsExec::ExecToLog 'netsh advfirewall firewall delete rule name=\"${VIGIL_FIREWALL_RULE}\"'\n")
foreach(program IN ITEMS vigil vigild)
    foreach(protocol IN ITEMS UDP TCP)
        string(APPEND CPACK_NSIS_EXTRA_INSTALL_COMMANDS
            "nsExec::ExecToLog 'netsh advfirewall firewall add rule name=\"${VIGIL_FIREWALL_RULE}\" "
            "description=\"GB/T 28181 SIP signalling and RTP media\" dir=in action=allow "
            "program=\"$INSTDIR\\bin\\${program}.exe\" protocol=${protocol} "
            "localport=${VIGIL_FIREWALL_PORTS}'\n")
    endforeach()
endforeach()
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS
    "nsExec::ExecToLog 'netsh advfirewall firewall delete rule name=\"${VIGIL_FIREWALL_RULE}\"'\n")
