"""The business actions the channels perform, one function each: plain data in (a basket, who
acts, the channel, an origin key), plain results out, each in a unit of work of its own or in the
one it is lent. USSD, SMS, WhatsApp, the REST API and the console parse, call one, render."""
