// The seed's own vectors (§1.2, §1.4, §4.2, §5), shared by the worker's and the CLI's known-answer tests.

export const XML_PAYLOAD = "<request><ip><![CDATA[127.0.0.1]]></ip></request>";
export const XML_CIPHERTEXT =
  "oJ5JYA4Q33sBLcRr98DeEyB83BVT5Iec5O7okvxPm111P3hBM/g1/eLAxm7Iaos/Yw9ZCsw3CtC0Q6j6X9C+CQ==";
export const JSON_CIPHERTEXT = "WXzV3/6APXYdqsoZlVuANePKKHbc47QODNPniynaD9s=";
export const XML_REPLY_CIPHERTEXT =
  "dbvhbM8Ckn+xUMWC8mmVO3bMEcsql4P4sUDAKjE6ZEQeQwz7o0vN/+xdsjsmNLo6PISHwoS9d+6LzWgJYeRMhHFs99uN84ajwMMqEeSLDvU=";

// Verbatim but for the PDF's line break inside the base64.
export const SEED_XML_REQUEST = `<?xml version="1.0" encoding="utf-8"?>
<root>
<service><![CDATA[NetTest]]></service>
<partner><![CDATA[TEST_WX]]></partner>
<hospitalCode><![CDATA[0]]></hospitalCode>
<dataFormat><![CDATA[xml]]></dataFormat>
<inputCharset><![CDATA[utf-8]]></inputCharset>
<signType><![CDATA[md5]]></signType>
<sign><![CDATA[389F6997DA8530F147D4AD7AF41C5C30]]></sign>
<requestEncrypted><![CDATA[${XML_CIPHERTEXT}]]></requestEncrypted>
</root>`;

export const SEED_JSON_REQUEST = `{
"service":"NetTest",
"partner":"TEST_WX",
"hospitalCode":"0",
"dataFormat":"json",
"inputCharset":"utf-8",
"signType":"md5",
"sign":"722289C58286EC2B41EF764CD5B0259D",
"requestEncrypted":"${JSON_CIPHERTEXT}"
}`;

/** The seed's GET example (§5): path testnet, signed as NetTest, logNo and version not signed. */
export const SEED_GET =
  "/wd/spi/testnet?partner=TEST_WX&logNo=Spi00001&version=V1.0.0&hospitalCode=43010001&inputCharset=utf-8&signType=md5&sign=2A3D153984E85ABBA3B3E0E3E1622AAB&requestEncrypted=WXzV3/6APXYdqsoZlVuANTSxfNRbE6H1PB17Bw4MTA4=";
