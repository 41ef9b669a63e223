// Json: reads the few values an example needs out of the library's JSON text.
//
//   String order = store.get("20251009-00000001");
//   String state = Json.string(order, "state");                    // "dispatched"
//   long total = Json.integer(report.toJson(), "summary", "total");
//   List<String> hits = Json.elements(kb.match("怎么签家庭医生"));  // each hit's JSON
//
// The binding passes JSON through as String, both ways, and a host with a JSON library
// (Jackson, Gson, javax.json) parses it with that.  This reader is for the example and the
// test, which have none: it follows keys from the top level down and decodes strings, with
// no object model.  Text that is not JSON is an IllegalArgumentException.
package org.hotline;

import java.util.ArrayList;
import java.util.List;

public final class Json {
  private Json() {}

  /** The value at keys (each a key of an object, from the top down) as raw JSON text, or null if absent. */
  public static String raw(String json, String... keys) {
    String value = json;
    for (String key : keys) {
      if (value == null) return null;
      value = member(value, key);
    }
    return value;
  }

  /** The string at keys, decoded; null if absent or JSON null. */
  public static String string(String json, String... keys) {
    String value = raw(json, keys);
    if (value == null || value.equals("null")) return null;
    if (!value.startsWith("\""))
      throw new IllegalArgumentException(String.join(".", keys) + " is not a string: " + value);
    return decode(value);
  }

  /** The integer at keys; an IllegalArgumentException if absent or not an integer. */
  public static long integer(String json, String... keys) {
    String value = raw(json, keys);
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException(String.join(".", keys) + " is not an integer: " + value, e);
    }
  }

  /** The number at keys; an IllegalArgumentException if absent or not a number. */
  public static double number(String json, String... keys) {
    String value = raw(json, keys);
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException(String.join(".", keys) + " is not a number: " + value, e);
    }
  }

  /** The boolean at keys; an IllegalArgumentException if absent or not true/false. */
  public static boolean bool(String json, String... keys) {
    String value = raw(json, keys);
    if ("true".equals(value)) return true;
    if ("false".equals(value)) return false;
    throw new IllegalArgumentException(String.join(".", keys) + " is not a boolean: " + value);
  }

  /** The elements of a JSON array, each as raw JSON text. */
  public static List<String> elements(String array) {
    List<String> out = new ArrayList<>();
    try {
      int i = space(array, 0);
      expect(array, i, '[');
      i = space(array, i + 1);
      if (array.charAt(i) == ']') return out;
      while (true) {
        int end = skipValue(array, i);
        out.add(array.substring(i, end));
        i = space(array, end);
        if (array.charAt(i) == ']') return out;
        expect(array, i, ',');
        i = space(array, i + 1);
      }
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a JSON array: it ends early", e);
    }
  }

  /** A JSON string literal (with its quotes) as the text it stands for. */
  public static String decode(String literal) {
    StringBuilder out = new StringBuilder(literal.length());
    for (int i = 1; i < literal.length() - 1; ++i) {
      char c = literal.charAt(i);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      char e = literal.charAt(++i);
      switch (e) {
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'u':
          out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
          i += 4;
          break;
        default: out.append(e);  // \" \\ \/
      }
    }
    return out.toString();
  }

  /** The raw value of key in the object json, or null. */
  private static String member(String json, String key) {
    try {
      int i = space(json, 0);
      if (i >= json.length() || json.charAt(i) != '{') return null;  // not an object: no such key
      i = space(json, i + 1);
      if (json.charAt(i) == '}') return null;
      while (true) {
        int keyEnd = skipString(json, i);
        boolean match = decode(json.substring(i, keyEnd)).equals(key);
        i = space(json, keyEnd);
        expect(json, i, ':');
        i = space(json, i + 1);
        int end = skipValue(json, i);
        if (match) return json.substring(i, end);
        i = space(json, end);
        if (json.charAt(i) == '}') return null;
        expect(json, i, ',');
        i = space(json, i + 1);
      }
    } catch (IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a JSON object: it ends early", e);
    }
  }

  private static int skipValue(String s, int i) {
    char c = s.charAt(i);
    if (c == '"') return skipString(s, i);
    if (c == '{' || c == '[') {
      int depth = 0;
      for (int j = i; j < s.length(); ++j) {
        char d = s.charAt(j);
        if (d == '"') {
          j = skipString(s, j) - 1;
        } else if (d == '{' || d == '[') {
          ++depth;
        } else if ((d == '}' || d == ']') && --depth == 0) {
          return j + 1;
        }
      }
      throw new IndexOutOfBoundsException();
    }
    int j = i;
    while (j < s.length() && ",]} \t\r\n".indexOf(s.charAt(j)) < 0) ++j;
    if (j == i) throw new IllegalArgumentException("no JSON value at " + i);
    return j;
  }

  private static int skipString(String s, int i) {
    expect(s, i, '"');
    int j = i + 1;
    while (s.charAt(j) != '"') j += s.charAt(j) == '\\' ? 2 : 1;
    return j + 1;
  }

  private static int space(String s, int i) {
    while (i < s.length() && " \t\r\n".indexOf(s.charAt(i)) >= 0) ++i;
    return i;
  }

  private static void expect(String s, int i, char c) {
    if (s.charAt(i) != c)
      throw new IllegalArgumentException("not JSON: '" + c + "' expected at " + i + ", found '" + s.charAt(i) + "'");
  }
}
