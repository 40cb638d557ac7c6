package dev.cloudpg.spi;

/** Values echoed in messages: quoted, control characters escaped, long values cut, so no message can forge lines. */
public final class Text {
  /** The longest part of a value a message shows. */
  public static final int MAX = 120;

  private Text() {}

  /**
   * {@code value} in double quotes, with quotes, backslashes and control characters (newlines, ANSI escapes)
   * escaped and anything beyond {@link #MAX} characters cut and counted: {@code "a\nb"}, {@code "xxxx…(10240 chars)"}.
   *
   * @param value any value; null is written {@code "null"}
   * @return the quoted text, on one line
   */
  public static String quote(Object value) {
    return "\"" + escape(String.valueOf(value)) + "\"";
  }

  /**
   * {@code value} escaped and cut as {@link #quote} does, without the quotes.
   *
   * @param value the text to escape
   * @return the escaped text, on one line
   */
  public static String escape(String value) {
    StringBuilder out = new StringBuilder();
    int end = Math.min(value.length(), MAX);
    for (int i = 0; i < end; i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); break;
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '\r': out.append("\\r"); break;
        case '\t': out.append("\\t"); break;
        default:
          if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
              || Character.getType(c) == Character.LINE_SEPARATOR
              || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
      }
    }
    if (value.length() > MAX) {
      out.append("…(").append(value.length()).append(" chars)");
    }
    return out.toString();
  }
}
