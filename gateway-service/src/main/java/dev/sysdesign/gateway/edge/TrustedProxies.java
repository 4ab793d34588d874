package dev.sysdesign.gateway.edge;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The proxies in front of the gateway whose forwarding headers it believes: a list of
 * networks in CIDR notation ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or single
 * addresses. Empty: no proxy is trusted, the TCP peer is the client.
 * <p>
 * Also the strict parser of the address literals found in those headers: nothing here
 * ever looks a name up in DNS.
 */
final class TrustedProxies {

	private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

	private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

	private final List<Network> networks;

	private TrustedProxies(List<Network> networks) {
		this.networks = networks;
	}

	/**
	 * Parses a list of networks.
	 * @param cidrs networks or addresses; blank entries are ignored
	 * @return the trusted proxies
	 * @throws IllegalArgumentException for an entry that is not a network or address
	 */
	static TrustedProxies of(List<String> cidrs) {
		return new TrustedProxies(
				cidrs.stream().map(String::trim).filter((cidr) -> !cidr.isEmpty()).map(Network::parse).toList());
	}

	boolean isEmpty() {
		return this.networks.isEmpty();
	}

	boolean contains(InetAddress address) {
		byte[] bytes = normalize(address).getAddress();
		for (Network network : this.networks) {
			if (network.contains(bytes)) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Parses an address literal: IPv4 or IPv6, optionally with a port
	 * ({@code 1.2.3.4:80}, {@code [2001:db8::1]:80}) or quotes. IPv4-mapped IPv6
	 * addresses become IPv4.
	 * @param literal the text
	 * @return the address, or {@code null} when the text is not an address literal
	 * ({@code unknown}, an obfuscated identifier, a name, garbage)
	 */
	static @Nullable InetAddress parseLiteral(String literal) {
		String text = literal.trim();
		if (text.length() >= 2 && text.startsWith("\"") && text.endsWith("\"")) {
			text = text.substring(1, text.length() - 1).trim();
		}
		if (text.isEmpty() || text.length() > 64) {
			return null;
		}
		if (text.startsWith("[")) {
			int end = text.indexOf(']');
			if (end < 0) {
				return null;
			}
			text = text.substring(1, end);
		}
		else if (text.indexOf(':') > 0 && text.indexOf(':') == text.lastIndexOf(':')) {
			// IPv4 with a port
			text = text.substring(0, text.indexOf(':'));
		}
		if (IPV4.matcher(text).matches()) {
			for (String part : text.split("\\.")) {
				if (Integer.parseInt(part) > 255) {
					return null;
				}
			}
		}
		else if (!IPV6.matcher(text).matches()) {
			return null;
		}
		try {
			// a literal (checked above): no name resolution happens
			return normalize(InetAddress.getByName(text));
		}
		catch (UnknownHostException ex) {
			return null;
		}
	}

	/**
	 * The canonical text of an address: IPv4 dotted, IPv6 in full hexadecimal groups.
	 * @param address the address
	 * @return its text
	 */
	static String text(InetAddress address) {
		return normalize(address).getHostAddress();
	}

	private static InetAddress normalize(InetAddress address) {
		if (address instanceof Inet6Address) {
			byte[] bytes = address.getAddress();
			boolean mapped = true;
			for (int i = 0; i < 10; i++) {
				mapped &= bytes[i] == 0;
			}
			mapped &= bytes[10] == (byte) 0xff && bytes[11] == (byte) 0xff;
			if (mapped) {
				try {
					return InetAddress.getByAddress(Arrays.copyOfRange(bytes, 12, 16));
				}
				catch (UnknownHostException ex) {
					throw new IllegalStateException(ex);
				}
			}
		}
		return address;
	}

	private record Network(byte[] prefix, int bits) {

		static Network parse(String cidr) {
			int slash = cidr.indexOf('/');
			InetAddress address = parseLiteral((slash < 0) ? cidr : cidr.substring(0, slash));
			if (address == null) {
				throw new IllegalArgumentException("not a network or address: " + cidr
						+ " (expected CIDR notation such as 10.0.0.0/8 or a single address)");
			}
			int max = (address instanceof Inet4Address) ? 32 : 128;
			int bits;
			try {
				bits = (slash < 0) ? max : Integer.parseInt(cidr.substring(slash + 1).trim());
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException("not a prefix length: " + cidr);
			}
			if (bits < 0 || bits > max) {
				throw new IllegalArgumentException("prefix length out of range: " + cidr);
			}
			return new Network(address.getAddress(), bits);
		}

		boolean contains(byte[] address) {
			if (address.length != this.prefix.length) {
				return false;
			}
			int full = this.bits / 8;
			for (int i = 0; i < full; i++) {
				if (address[i] != this.prefix[i]) {
					return false;
				}
			}
			int rest = this.bits % 8;
			if (rest == 0) {
				return true;
			}
			int mask = (0xff << (8 - rest)) & 0xff;
			return (address[full] & mask) == (this.prefix[full] & mask);
		}

	}

}
