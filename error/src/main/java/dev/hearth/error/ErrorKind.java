package dev.hearth.error;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What went wrong, as a client of the JSON-RPC API sees it: each kind has the numeric code that
 * travels on the wire ({@code rpc.md} §1.3) and a short title that becomes the error object's
 * {@code message}. The numbers are a compatibility contract with StartOS clients; never renumber.
 */
public enum ErrorKind {
  UNKNOWN(1, "Unknown Error"),
  FILESYSTEM(2, "Filesystem I/O Error"),
  DOCKER(3, "Container Engine Error"),
  CONFIG_SPEC_VIOLATION(4, "Configuration Specification Violation"),
  CONFIG_RULES_VIOLATION(5, "Configuration Rules Violation"),
  NOT_FOUND(6, "Not Found"),
  INCORRECT_PASSWORD(7, "Incorrect Password"),
  VERSION_INCOMPATIBLE(8, "Version Incompatible"),
  NETWORK(9, "Network Error"),
  REGISTRY(10, "Registry Error"),
  SERIALIZATION(11, "Serialization Error"),
  DESERIALIZATION(12, "Deserialization Error"),
  UTF8(13, "UTF-8 Parse Error"),
  PARSE_VERSION(14, "Version Parsing Error"),
  INCORRECT_DISK(15, "Incorrect Disk"),
  // 16 is retired (Nginx): never hand it out again
  DEPENDENCY(17, "Dependency Error"),
  PARSE_S9PK(18, "S9PK Parsing Error"),
  PARSE_URL(19, "URL Parsing Error"),
  DISK_NOT_AVAILABLE(20, "Disk Not Available"),
  BLOCK_DEVICE(21, "Block Device Error"),
  // 22 is retired (InvalidOnionAddress): never hand it out again
  PACK(23, "Pack Error"),
  VALIDATE_S9PK(24, "S9PK Validation Error"),
  DISK_CORRUPTED(25, "Disk Corrupted"),
  // 26 is retired (Tor): never hand it out again
  CONFIG_GEN(27, "Configuration Generation Error"),
  PARSE_NUMBER(28, "Number Parsing Error"),
  DATABASE(29, "Database Error"),
  INVALID_ID(30, "Invalid ID"),
  INVALID_SIGNATURE(31, "Invalid Signature"),
  BACKUP(32, "Backup Error"),
  RESTORE(33, "Restore Error"),
  AUTHORIZATION(34, "Unauthorized"),
  AUTO_CONFIGURE(35, "Auto-Configure Error"),
  ACTION(36, "Action Failed"),
  RATE_LIMITED(37, "Too Many Requests"),
  INVALID_REQUEST(38, "Invalid Request"),
  MIGRATION_FAILED(39, "Migration Failed"),
  UNINITIALIZED(40, "Uninitialized"),
  PARSE_NET_ADDRESS(41, "Net Address Parsing Error"),
  PARSE_SSH_KEY(42, "SSH Key Parsing Error"),
  SOUND_ERROR(43, "Sound Interface Error"),
  PARSE_TIMESTAMP(44, "Timestamp Parsing Error"),
  PARSE_SYS_INFO(45, "System Info Parsing Error"),
  WIFI(46, "WiFi Error"),
  JOURNALD(47, "Journald Error"),
  DISK_MANAGEMENT(48, "Disk Management Error"),
  OPEN_SSL(49, "OpenSSL Error"),
  PASSWORD_HASH_GENERATION(50, "Password Hash Generation Error"),
  DIAGNOSTIC_MODE(51, "Server is in Diagnostic Mode"),
  PARSE_DB_FIELD(52, "Database Field Parsing Error"),
  DUPLICATE(53, "Duplication Error"),
  MULTIPLE_ERRORS(54, "Multiple Errors"),
  INCOHERENT(55, "Incoherent"),
  INVALID_BACKUP_TARGET_ID(56, "Invalid Backup Target ID"),
  PRODUCT_KEY_MISMATCH(57, "Incompatible Product Keys"),
  LAN_PORT_CONFLICT(58, "Incompatible LAN Port Configuration"),
  JAVASCRIPT(59, "JavaScript Engine Error"),
  PEM(60, "PEM Encoding Error"),
  TLS_INIT(61, "TLS Backend Initialization Error"),
  ASCII(62, "ASCII Parse Error"),
  MISSING_HEADER(63, "Missing Header"),
  GRUB(64, "Grub Error"),
  SYSTEMD(65, "Systemd Error"),
  OPEN_SSH(66, "OpenSSH Error"),
  ZRAM(67, "Zram Error"),
  LSHW(68, "Hardware Listing Error"),
  CPU_SETTINGS(69, "CPU Settings Error"),
  FIRMWARE(70, "Firmware Error"),
  TIMEOUT(71, "Timeout Error"),
  LXC(72, "LXC Error"),
  CANCELLED(73, "Cancelled"),
  GIT(74, "Git Error"),
  DBUS(75, "DBus Error"),
  INSTALL_FAILED(76, "Install Failed"),
  UPDATE_FAILED(77, "Update Failed"),
  SMTP(78, "SMTP Error"),
  SET_SYS_INFO(79, "Error Setting System Info"),
  BIOS(80, "BIOS Error");

  private static final Map<Integer, ErrorKind> BY_CODE =
      Arrays.stream(values())
          .collect(Collectors.toUnmodifiableMap(k -> k.code, Function.identity()));

  /** The number on the wire, in the error object's {@code code}. */
  public final int code;

  /** The short human name, in the error object's {@code message}. */
  public final String title;

  ErrorKind(int code, String title) {
    this.code = code;
    this.title = title;
  }

  /** The kind with this wire code, if it is one of ours (retired codes have none). */
  public static Optional<ErrorKind> ofCode(int code) {
    return Optional.ofNullable(BY_CODE.get(code));
  }
}
