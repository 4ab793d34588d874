package dev.sysdesign.session.account;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one spelling of a username. Accounts are stored under their canonical name (3 to 32
 * of {@code a-z 0-9 _ . -}, compared byte for byte: the column has a binary collation),
 * registration accepts only names already in that form, and a login is looked up, and
 * throttled, under the canonical form of what was typed: {@code Alice}, {@code alice }
 * and {@code ALICE} are one account with one failure budget.
 */
public final class Usernames {

	/** The form of a stored username. */
	public static final String PATTERN = "[a-z0-9_.-]{3,32}";

	private static final Pattern VALID = Pattern.compile(PATTERN);

	private Usernames() {
	}

	/**
	 * The canonical form of a typed username: trimmed and lower-cased.
	 * @param typed what the user typed
	 * @return its canonical form, which may still be invalid (see {@link #isValid})
	 */
	public static String canonical(String typed) {
		return typed.strip().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether a canonical name can belong to an account.
	 * @param canonical a canonical name
	 * @return whether it has the form of a stored username
	 */
	public static boolean isValid(String canonical) {
		return VALID.matcher(canonical).matches();
	}

}
