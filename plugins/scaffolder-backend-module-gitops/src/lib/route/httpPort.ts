/**
 * Ports that speak something other than HTTP (IANA registrations and the
 * defaults of what homelabs run), with the protocol's name.
 */
const WELL_KNOWN: Record<number, string> = {
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  25: 'SMTP',
  53: 'DNS',
  67: 'DHCP',
  69: 'TFTP',
  110: 'POP3',
  123: 'NTP',
  143: 'IMAP',
  161: 'SNMP',
  389: 'LDAP',
  445: 'SMB',
  465: 'SMTPS',
  514: 'syslog',
  554: 'RTSP',
  587: 'SMTP submission',
  636: 'LDAPS',
  853: 'DNS over TLS',
  993: 'IMAPS',
  995: 'POP3S',
  1194: 'OpenVPN',
  1433: 'SQL Server',
  1883: 'MQTT',
  1900: 'SSDP',
  2049: 'NFS',
  3306: 'MySQL',
  3478: 'STUN/TURN',
  5353: 'mDNS',
  5432: 'PostgreSQL',
  5672: 'AMQP',
  6379: 'Redis',
  6881: 'BitTorrent',
  8883: 'MQTT over TLS',
  9092: 'Kafka',
  11211: 'memcached',
  25565: 'Minecraft',
  27017: 'MongoDB',
  51820: 'WireGuard',
};

/** Port names and appProtocols that say HTTP (Kubernetes' own and the IANA ones). */
const HTTP_NAMES =
  /^(https?|http2|h2c|grpc-web|web|ws|wss|websocket|ui|api|metrics|kubernetes\.io\/(h2c|ws|wss))(-.*)?$/i;
/** Port names that say what else they speak. */
const NON_HTTP_NAME =
  /^(mqtts?|ssh|smtps?|imaps?|pop3s?|dns|dns-tcp|dns-udp|ldaps?|postgres(ql)?|mysql|mariadb|redis|mongo(db)?|amqps?|kafka|memcached|nfs|smb|rtsp|ntp|syslog|stun|turn|wireguard|wg|openvpn|minecraft|torrent|bittorrent|tcp|udp|sip|xmpp|irc)(-.*)?$/i;

export type ServicePortInfo = {
  port: number;
  name?: string;
  /** the container port it forwards to, when named */
  targetPort?: string | number;
  /** Kubernetes ports: TCP/UDP/SCTP; app-template ports also HTTP/HTTPS */
  protocol?: string;
  appProtocol?: string;
};

/**
 * Why this Service port does not speak HTTP (so an HTTPRoute to it would
 * answer nothing), or undefined when it does or nothing says otherwise.
 * An explicit appProtocol or HTTP name wins over the port number.
 */
export function notHttp(port: ServicePortInfo): string | undefined {
  const proto = port.protocol?.toUpperCase();
  if (proto === 'UDP' || proto === 'SCTP') return `it is a ${proto} port`;
  if (port.appProtocol) {
    return HTTP_NAMES.test(port.appProtocol)
      ? undefined
      : `its appProtocol is "${port.appProtocol}"`;
  }
  if (proto === 'HTTP' || proto === 'HTTPS') return undefined;
  if (port.name && NON_HTTP_NAME.test(port.name))
    return `it is named "${port.name}"`;
  if (
    typeof port.targetPort === 'string' &&
    NON_HTTP_NAME.test(port.targetPort)
  )
    return `it forwards to the container port "${port.targetPort}"`;
  if (port.name && HTTP_NAMES.test(port.name)) return undefined;
  const known = WELL_KNOWN[port.port];
  return known ? `${port.port} is the ${known} port` : undefined;
}
