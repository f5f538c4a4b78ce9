"""scrm-report in Python: shared state and the text/JSON emitter (report_out.c).

Sections call one ``out_*`` method per figure and get readable text or JSON
from the same code, formatted exactly as the C program formats them.
"""
import math
import sys

import scrm

NO_VALUE = math.nan


class Report:
    """State shared by the sections, and the emitter."""

    def __init__(self, data_dir, as_json, skip_bad_rows):
        self.dir = data_dir
        self.json = as_json
        self.skip_bad_rows = skip_bad_rows
        self.ds = None
        self.loads = []
        self.sections = 0
        self.levels = [self._level(False)]
        # Figures later sections reuse (the ROI case is built from the KPIs).
        self.social_contacts_per_month = 0.0
        self.saving_per_contact = 0.0
        self.engagement_actions_per_month = 0.0
        self.value_per_action = 0.0
        self.customers = 0.0
        self.margin_per_customer_year = 0.0

    @staticmethod
    def _level(is_array):
        return {"members": 0, "is_array": is_array, "item_open": False, "item_members": 0}

    @staticmethod
    def write(text):
        sys.stdout.write(text)

    # -- low-level pieces ----------------------------------------------------

    def json_string(self, s):
        out = ['"']
        for ch in s:
            if ch in '"\\':
                out.append("\\" + ch)
            elif ord(ch) < 0x20:
                out.append("\\u%04x" % ord(ch))
            else:
                out.append(ch)
        out.append('"')
        self.write("".join(out))

    def json_section(self, name):
        self.write(("," if self.sections else "") + "\n  ")
        self.sections += 1
        self.json_string(name)
        self.write(": ")

    def text_heading(self, title):
        self.write(f"\n{title}\n{'-' * len(title)}\n")

    @property
    def depth(self):
        return len(self.levels) - 1

    def _json_member(self, key):
        level = self.levels[-1]
        field = "item_members" if level["is_array"] and level["item_open"] else "members"
        if level[field]:
            self.write(",")
        level[field] += 1
        self.write(" ")
        self.json_string(key)
        self.write(": ")

    def _row_open(self):
        level = self.levels[-1]
        return level["is_array"] and level["item_open"]

    def _text_prefix(self, label):
        if self._row_open():
            self.write("  %s " % label)
        else:
            self.write("%*s%-34s " % (2 * self.depth, "", label))

    def _text_suffix(self):
        if not self._row_open():
            self.write("\n")

    # -- the emitter -----------------------------------------------------------

    def out_section(self, key, title):
        self.levels = [self._level(False)]
        if self.json:
            self.json_section(key)
            self.write("{")
        else:
            self.text_heading(title)

    def out_object(self, key, label):
        if self.json:
            self._json_member(key)
            self.write("{")
        elif label:
            if self._row_open():
                self.write("  %s:" % label)
            else:
                self.write("%*s%s\n" % (2 * self.depth, "", label))
        self.levels.append(self._level(False))

    def out_array(self, key, label):
        if self.json:
            self._json_member(key)
            self.write("[")
        elif label:
            self.write("%*s%s\n" % (2 * self.depth, "", label))
        self.levels.append(self._level(True))

    def out_item(self):
        level = self.levels[-1]
        if self.json:
            if level["item_open"]:
                self.write("}")
            if level["members"]:
                self.write(",")
            level["members"] += 1
            self.write(" {")
        else:
            if level["item_open"]:
                self.write("\n")
            self.write("%*s-" % (2 * self.depth, ""))
        level["item_open"] = True
        level["item_members"] = 0

    def out_end(self):
        level = self.levels[-1]
        if self.json:
            if level["item_open"]:
                self.write("}")
            self.write("]" if level["is_array"] else "}")
        elif level["item_open"]:
            self.write("\n")
        if len(self.levels) > 1:
            self.levels.pop()

    def out_num(self, key, label, value, decimals):
        finite = value is not None and math.isfinite(value)
        if self.json:
            self._json_member(key)
            self.write("%.*f" % (decimals + 2, value) if finite else "null")
        else:
            self._text_prefix(label)
            self.write("%.*f" % (decimals, value) if finite else "n/a")
            self._text_suffix()

    def out_int(self, key, label, value):
        if self.json:
            self._json_member(key)
            self.write("%d" % value)
        else:
            self._text_prefix(label)
            self.write("%d" % value)
            self._text_suffix()

    def out_str(self, key, label, s):
        if self.json:
            self._json_member(key)
            self.json_string(s or "")
        else:
            self._text_prefix(label)
            self.write(s or "")
            self._text_suffix()

    def out_time(self, key, label, t):
        text = "-" if t == scrm.TIME_NONE else scrm.time_format(t)
        self.out_str(key, label, text[:10])  # dates are enough in a report

    def out_note(self, text):
        if not self.json:
            self.write("%*s(%s)\n" % (2 * self.depth, "", text))

    def out_error(self, what, exc):
        """Report a library failure inside a section (and keep going)."""
        self.out_str("error", "error", f"{what}: {exc.message} ({scrm.strerror(exc.code)})")
