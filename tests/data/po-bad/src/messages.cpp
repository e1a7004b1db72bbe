// A fixture for tests/i18n/check_catalogs.py: messages its catalog gets wrong.
const char* tr(const char* s);
const char* a = tr("Hello {}");
const char* b = tr("Goodbye");
