# Debian packages: loyalty-kiosk, loyalty-central, loyalty-kioskctl (`scripts/package`, docs/install.md).
# Each binary's folder installs its own target (COMPONENT = package); this file installs the rest —
# assets, default configs (conffiles under /etc/loyalty), systemd units, docs, maintainer scripts —
# and configures CPack's DEB generator. Paths are Debian 12's: units in /lib/systemd/system. /etc and
# /lib paths are absolute: `cmake --install` outside CPack needs DESTDIR.
set(KIOSK_PKG_DIR ${PROJECT_SOURCE_DIR}/packaging)
set(KIOSK_PKG_OUT ${CMAKE_BINARY_DIR}/packaging)
set(KIOSK_PACKAGES kiosk central kioskctl)
# `install`, and so CPack, builds nothing itself: scripts/package builds the three binaries and their
# manual pages first, so a build tree that holds only those (scripts/test's CI pass) can be packaged
# without compiling the test suite.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY ON)

# changelog.Debian.gz as policy wants it: gzip -9, no name or time stamp (reproducible).
file(MAKE_DIRECTORY ${KIOSK_PKG_OUT})
execute_process(COMMAND gzip -9nc ${KIOSK_PKG_DIR}/changelog
  OUTPUT_FILE ${KIOSK_PKG_OUT}/changelog.Debian.gz COMMAND_ERROR_IS_FATAL ANY)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${KIOSK_PKG_DIR}/changelog)

# A manual page per binary, made from its --help by help2man (a Debian package) when it is built.
find_program(HELP2MAN help2man REQUIRED)
set(KIOSK_MAN_kiosk "loyalty kiosk touchscreen app")
set(KIOSK_MAN_central "loyalty chain ledger and kiosk fleet service")
set(KIOSK_MAN_kioskctl "loyalty kiosk operator and integrator tool")
foreach(component ${KIOSK_PACKAGES})
  set(package loyalty-${component})
  add_custom_command(OUTPUT ${KIOSK_PKG_OUT}/${component}.1.gz
    COMMAND ${HELP2MAN} --no-info --no-discard-stderr --version-string=${PROJECT_VERSION}
      --name=${KIOSK_MAN_${component}} --output=${KIOSK_PKG_OUT}/${component}.1 $<TARGET_FILE:${component}>
    COMMAND gzip -9nf ${KIOSK_PKG_OUT}/${component}.1
    DEPENDS ${component} VERBATIM)
  add_custom_target(${component}_manpage ALL DEPENDS ${KIOSK_PKG_OUT}/${component}.1.gz)
  install(FILES ${KIOSK_PKG_OUT}/${component}.1.gz
    DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 COMPONENT ${component})
  install(FILES ${KIOSK_PKG_DIR}/copyright ${KIOSK_PKG_OUT}/changelog.Debian.gz
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/${package} COMPONENT ${component})
  install(FILES ${KIOSK_PKG_DIR}/${package}/lintian-overrides RENAME ${package}
    DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/lintian/overrides COMPONENT ${component})
endforeach()

# The two services: a system user each, data in /var/lib/<package>, a unit, a conffile. The
# maintainer scripts are one template for both (packaging/*.in).
foreach(component kiosk central)
  set(package loyalty-${component})
  set(KIOSK_PKG_NAME ${package})
  foreach(script postinst prerm postrm)
    configure_file(${KIOSK_PKG_DIR}/${script}.in ${KIOSK_PKG_OUT}/${package}/${script} @ONLY
      FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
  endforeach()
  install(FILES ${PROJECT_SOURCE_DIR}/systemd/${component}.service RENAME ${package}.service
    DESTINATION /lib/systemd/system COMPONENT ${component})
  install(FILES ${KIOSK_PKG_DIR}/etc/${component}.toml DESTINATION /etc/loyalty COMPONENT ${component})
  string(TOUPPER ${component} upper)
  set(CPACK_DEBIAN_${upper}_PACKAGE_CONTROL_EXTRA
    ${KIOSK_PKG_OUT}/${package}/postinst ${KIOSK_PKG_OUT}/${package}/prerm
    ${KIOSK_PKG_OUT}/${package}/postrm ${KIOSK_PKG_DIR}/${package}/conffiles)
  set(CPACK_DEBIAN_${upper}_PACKAGE_CONTROL_STRICT_PERMISSION ON)
endforeach()

# kiosk: its texts, images and the demo configuration (relative paths inside resolve to this tree),
# and the PAM service that gives it a logind session on tty1 for cage.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/i18n ${PROJECT_SOURCE_DIR}/assets/images
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/loyalty-kiosk COMPONENT kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/assets/config/kiosk-demo.toml
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/loyalty-kiosk/config COMPONENT kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/assets/samples/DEV001.pub
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/loyalty-kiosk/samples COMPONENT kiosk)
install(FILES ${KIOSK_PKG_DIR}/pam/loyalty-kiosk DESTINATION /etc/pam.d COMPONENT kiosk)
install(FILES ${PROJECT_SOURCE_DIR}/docs/automation.md ${PROJECT_SOURCE_DIR}/docs/install.md
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/loyalty-kiosk COMPONENT kiosk)
# central: the seeds of an empty database and the development configuration (as a reference). Not
# the DEVELOPMENT store key: a central without [[stores]] of its own must not trust it.
install(FILES ${PROJECT_SOURCE_DIR}/assets/config/campaign.toml ${PROJECT_SOURCE_DIR}/assets/config/tiers.toml
  ${PROJECT_SOURCE_DIR}/assets/config/rewards.toml ${PROJECT_SOURCE_DIR}/assets/config/central.toml
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/loyalty-central/config COMPONENT central)
# The head-office console's static pages (docs/console.md), served by central at /console/.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/console/
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/loyalty-central/console COMPONENT central)
install(FILES ${PROJECT_SOURCE_DIR}/docs/api.md ${PROJECT_SOURCE_DIR}/docs/install.md
  ${PROJECT_SOURCE_DIR}/docs/console.md
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/loyalty-central COMPONENT central)
install(FILES ${PROJECT_SOURCE_DIR}/docs/receipt-qr.md ${PROJECT_SOURCE_DIR}/docs/voucher-qr.md
  ${PROJECT_SOURCE_DIR}/docs/escpos.md
  DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/doc/loyalty-kioskctl COMPONENT kioskctl)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL ${KIOSK_PACKAGES})
set(CPACK_STRIP_FILES ON)
set(CPACK_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
  OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "Loyalty kiosk team <kiosk-team@example.com>")
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS OFF)
set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME loyalty-kiosk)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_NAME loyalty-central)
set(CPACK_DEBIAN_KIOSKCTL_PACKAGE_NAME loyalty-kioskctl)
set(CPACK_DEBIAN_KIOSK_PACKAGE_SECTION x11)
set(CPACK_DEBIAN_CENTRAL_PACKAGE_SECTION net)
set(CPACK_DEBIAN_KIOSKCTL_PACKAGE_SECTION utils)
# Beyond the shared libraries (shlibdeps): the compositor, the UI font, the tools of the maintainer
# scripts.
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "adduser, cage, fonts-noto-core")
set(CPACK_DEBIAN_CENTRAL_PACKAGE_DEPENDS "adduser")
# First line: the synopsis; the rest (lines under 80 characters) the extended description.
set(CPACK_COMPONENT_KIOSK_DESCRIPTION "self-service loyalty kiosk: the touchscreen app
The shopper's app of a loyalty kiosk: scan a receipt's QR code, earn points,
redeem vouchers printed on an ESC/POS printer. Runs full screen under the cage
Wayland compositor as the unprivileged loyalty-kiosk user
(loyalty-kiosk.service); keeps its outbox in /var/lib/loyalty-kiosk.")
set(CPACK_COMPONENT_CENTRAL_DESCRIPTION "loyalty chain's ledger and kiosk fleet service
The central HTTP/JSON service of a chain of loyalty kiosks: members, points
ledger, vouchers, games and kiosk enrollment, on SQLite or PostgreSQL. Runs as
the loyalty-central system user (loyalty-central.service); keeps its data in
/var/lib/loyalty-central.")
set(CPACK_COMPONENT_KIOSKCTL_DESCRIPTION "loyalty kiosk operator and integrator tool
kioskctl signs receipt QR codes (point-of-sale side), scans images, renders
and serves ESC/POS print jobs and talks to the central service's admin API.")
include(CPack)
