# Linux: desktop integration, vigild as a (disabled) systemd service, and the Debian package.
# Included from installer/CMakeLists.txt. Qt and FFmpeg come from the distribution, so nothing is
# deployed next to the binaries: the package depends on Debian's packages instead.

# The programs load only system libraries, so the installed binaries carry no RUNPATH (Qt's
# project setup would give them $ORIGIN/../lib, which Debian packages should not have).
set_target_properties(${VIGIL_EXECUTABLES} PROPERTIES INSTALL_RPATH "")

install(FILES "${VIGIL_RESOURCES_DIR}/linux/vigil.desktop"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/applications"
    COMPONENT runtime)
foreach(size IN ITEMS 16 22 24 32 48 64 128 256 512)
    install(FILES "${VIGIL_RESOURCES_DIR}/icons/app/vigil-${size}.png"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/${size}x${size}/apps"
        RENAME vigil.png
        COMPONENT runtime)
endforeach()
install(FILES "${VIGIL_RESOURCES_DIR}/icons/app/vigil.svg"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps"
    COMPONENT runtime)

# Where systemd looks for units shipped by packages: /lib/systemd/system on Debian 12,
# /usr/lib/systemd/system on later releases; systemd.pc says which.
pkg_get_variable(VIGIL_SYSTEMD_DEFAULT_UNIT_DIR systemd systemdsystemunitdir)
if(NOT VIGIL_SYSTEMD_DEFAULT_UNIT_DIR)
    set(VIGIL_SYSTEMD_DEFAULT_UNIT_DIR "/lib/systemd/system")
endif()
set(VIGIL_SYSTEMD_UNIT_DIR "${VIGIL_SYSTEMD_DEFAULT_UNIT_DIR}" CACHE PATH
    "Where the package installs vigild.service")

install(FILES "${VIGIL_RESOURCES_DIR}/linux/vigild.service"
    DESTINATION "${VIGIL_SYSTEMD_UNIT_DIR}"
    COMPONENT system EXCLUDE_FROM_ALL)
# Readable by root only in the package; postinst hands it to the vigil group. It holds passwords.
install(FILES "${VIGIL_RESOURCES_DIR}/linux/vigild.conf"
    DESTINATION "/etc/vigil"
    PERMISSIONS OWNER_READ OWNER_WRITE
    COMPONENT system EXCLUDE_FROM_ALL)
# Tells lintian that the mode above is deliberate.
install(FILES "${CMAKE_CURRENT_SOURCE_DIR}/debian/lintian-overrides"
    DESTINATION "${CMAKE_INSTALL_DATADIR}/lintian/overrides"
    RENAME vigil
    COMPONENT system EXCLUDE_FROM_ALL)

# One .deb holding both components, and whatever other folders install without naming one.
set(CPACK_GENERATOR "DEB")
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_GROUPING ALL_COMPONENTS_IN_ONE)
set(CPACK_COMPONENTS_ALL runtime system Unspecified)

set(CPACK_DEBIAN_PACKAGE_NAME "vigil")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION "video")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "${PROJECT_HOMEPAGE_URL}")
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
# The extended description; CPack puts CPACK_PACKAGE_DESCRIPTION_SUMMARY above it.
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION "Vigil connects GB/T 28181 cameras, NVRs and lower platforms (Hikvision,
Dahua, Uniview, Huawei and others) that register to it over SIP, shows them
in a device tree, plays their live video in a grid and steers their PTZ. Its
user interface speaks Chinese and English.

This package contains the desktop console vigil, the headless server vigild
(a systemd service, disabled until you enable it; settings in
/etc/vigil/vigild.conf, data in /var/lib/vigil) and the device simulator
vigil-camsim.")

# Libraries the binaries link: found by dpkg-shlibdeps (dpkg-dev) with the versions the build
# used. What they load at run time, and what the maintainer scripts call, is listed by hand.
find_program(VIGIL_DPKG_SHLIBDEPS dpkg-shlibdeps)
set(VIGIL_DEBIAN_RUNTIME_DEPENDS
    "adduser"             # postinst creates the vigil user
    "libqt6sql6-sqlite"   # the SQLite driver plugin for the device database
    "qt6-qpa-plugins")    # the X11 and Wayland platform plugins the console needs to open a window
if(VIGIL_DPKG_SHLIBDEPS)
    set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
else()
    message(STATUS "dpkg-shlibdeps not found (install dpkg-dev): the .deb gets Debian 12's library list")
    list(APPEND VIGIL_DEBIAN_RUNTIME_DEPENDS
        libqt6core6 libqt6gui6 libqt6widgets6 libqt6network6 libqt6sql6 libqt6opengl6
        libqt6httpserver6
        libavcodec59 libavformat59 libavutil57 libswscale6 libtinyxml2-9
        libc6 libstdc++6 libgcc-s1 libgl1)
endif()
list(JOIN VIGIL_DEBIAN_RUNTIME_DEPENDS ", " CPACK_DEBIAN_PACKAGE_DEPENDS)
# Qt's own translations (dialog buttons and the like in Chinese) and a font with Chinese glyphs.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "qt6-translations-l10n, fonts-noto-cjk | fonts-wqy-microhei")

set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    "${CMAKE_CURRENT_SOURCE_DIR}/debian/conffiles"
    "${CMAKE_CURRENT_SOURCE_DIR}/debian/postinst"
    "${CMAKE_CURRENT_SOURCE_DIR}/debian/prerm"
    "${CMAKE_CURRENT_SOURCE_DIR}/debian/postrm")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

# Manual pages, made from each program's --help and --version by help2man, with the sections in
# installer/man/<program>.h2m added, so they never drift from the options. Without help2man
# (scripts/test and installer/build-deb.sh install it) the build goes on without them.
find_program(VIGIL_HELP2MAN help2man)
find_program(VIGIL_GZIP gzip)
if(VIGIL_HELP2MAN AND VIGIL_GZIP)
    set(man_pages "")
    foreach(program IN LISTS VIGIL_EXECUTABLES)
        set(include_file "${CMAKE_CURRENT_SOURCE_DIR}/man/${program}.h2m")
        set(page "${CMAKE_CURRENT_BINARY_DIR}/man/${program}.1")
        add_custom_command(OUTPUT "${page}.gz"
            COMMAND "${CMAKE_COMMAND}" -E make_directory "${CMAKE_CURRENT_BINARY_DIR}/man"
            # offscreen: the console is a GUI program, and a build has no display. No leak report
            # from a VIGIL_SANITIZE build's exit may fail the page.
            COMMAND "${CMAKE_COMMAND}" -E env QT_QPA_PLATFORM=offscreen ASAN_OPTIONS=detect_leaks=0
                "${VIGIL_HELP2MAN}" --no-info --include "${include_file}" --output "${page}"
                "$<TARGET_FILE:${program}>"
            COMMAND "${VIGIL_GZIP}" -9nf "${page}"
            DEPENDS ${program} "${include_file}"
            COMMENT "Manual page ${program}(1)"
            VERBATIM)
        list(APPEND man_pages "${page}.gz")
    endforeach()
    add_custom_target(vigil_man_pages ALL DEPENDS ${man_pages})
    install(FILES ${man_pages} DESTINATION "${CMAKE_INSTALL_MANDIR}/man1" COMPONENT runtime)
else()
    message(STATUS "help2man or gzip not found: no manual pages (Debian: help2man)")
endif()

# Debian's changelog for the package (lintian: no-changelog), dated by SOURCE_DATE_EPOCH when set.
if(VIGIL_GZIP)
    string(TIMESTAMP VIGIL_CHANGELOG_DATE "%a, %d %b %Y %H:%M:%S +0000" UTC)
    configure_file("${CMAKE_CURRENT_SOURCE_DIR}/debian/changelog.in"
        "${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian" @ONLY)
    add_custom_command(OUTPUT "${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian.gz"
        COMMAND "${VIGIL_GZIP}" -9nkf "${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian"
        DEPENDS "${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian"
        VERBATIM)
    add_custom_target(vigil_debian_changelog ALL DEPENDS "${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian.gz")
    install(FILES "${CMAKE_CURRENT_BINARY_DIR}/changelog.Debian.gz"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/doc/vigil"
        COMPONENT system EXCLUDE_FROM_ALL)
endif()
