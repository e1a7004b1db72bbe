// JsonOut writes what nlohmann::ordered_json's dump() writes: the server's fast answers
// and the CLI's tree-built ones are the same bytes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/json_out.h"

namespace racine {

TEST(JsonOut, StringsAreEscapedAsNlohmannDoes) {
  std::string all_controls;
  for (int c = 0; c < 0x20; ++c) all_controls += static_cast<char>(c);
  for (const std::string& s :
       {std::string(), std::string("plain"), std::string("quote \" and \\ backslash"),
        std::string("tab\there\nnewline\r\f\b"), all_controls, std::string("\x7f del"),
        std::string("é ü 日本 \xF0\x9F\x98\x80 U+2028:\xE2\x80\xA8"), std::string("/ slash")}) {
    JsonOut j;
    j.string(s);
    EXPECT_EQ(j.str(), nlohmann::ordered_json(s).dump()) << s;
  }
}

TEST(JsonOut, NumbersAreWrittenAsNlohmannDoes) {
  for (const double v : {0.0, 1.0, 0.5, 0.923, 0.15, 0.1 + 0.2, 1e-5, 0.001, 123.456, -2.5, 1e10}) {
    JsonOut j;
    j.number(v);
    EXPECT_EQ(j.str(), nlohmann::ordered_json(v).dump()) << v;
  }
  for (const std::int64_t v : {std::int64_t{0}, std::int64_t{-7}, std::int64_t{1} << 40U}) {
    JsonOut j;
    j.integer(v);
    EXPECT_EQ(j.str(), nlohmann::ordered_json(v).dump());
  }
}

TEST(JsonOut, NestedContainersAndCommas) {
  JsonOut j;
  j.begin_object();
  j.key("a").begin_array().integer(1).string("x").begin_object().end_object().begin_array();
  j.end_array().null().end_array();
  j.key("b").boolean(true).key("c").boolean(false).key("e\"k").begin_object().key("n").null();
  j.end_object().end_object();
  nlohmann::ordered_json want;
  want["a"] = nlohmann::ordered_json::array(
      {1, "x", nlohmann::ordered_json::object(), nlohmann::ordered_json::array(), nullptr});
  want["b"] = true;
  want["c"] = false;
  want["e\"k"] = {{"n", nullptr}};
  EXPECT_EQ(j.str(), want.dump());
}

}  // namespace racine
