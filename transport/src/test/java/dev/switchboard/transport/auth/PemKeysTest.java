package dev.switchboard.transport.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

/** Fixtures below were written by OpenSSL 3 for these tests only; they protect nothing. */
class PemKeysTest {

    static final String RSA_PKCS1_PRIVATE = """
            -----BEGIN RSA PRIVATE KEY-----
            MIIEowIBAAKCAQEAuUM9eNy8of3PsjD1icGPjq2lzjeDp/at3iSU4Qp0v2G0/utH
            XSEJcQLwIfWNxX5qbVpauEQgSodcLKuFmdLv2/IotHMYYNXnJYS0xVGuhTza7k4U
            RpA4086PO+rz1UXAHQF5iVR0oY0pHvg5AX/qYepeI0/87RwhGouD3CkWiuB4JA9T
            EIiTo0kF6nBurlZJ2NduKj68Q1M2Zq9I1uKVLo9Q9DYH53pniLMpSVJJjDqz1fJR
            6sRVfpcoI+MeoECYZMEN6rNqElZ7Xc9mfCTVFXh5hy09mXlu4aldyDGvUvcMRrbx
            tZnBXz43oOnUT5mHamcaDTigMZ8bMt8jluWBgwIDAQABAoIBABMm31j6QMniSjFa
            nFeEWgne67AYzxRzDOBVGcr14MHUIPjla7g17RrwudBY6TIMcoYhfBVmfYwW2DGJ
            /cK8Kq2rKAgXieKg2kdno6RuYENH2j4edjwhNq62wNnp3REkJ8sX1u+aeoAk7qZT
            9Nix15INv3OZFkWQzd9HovcEjF8Izit78WEYcZdVWME1sEm2/lhZeGhDFR0Y+mRy
            +5ma+53xPFbhAY/VX57MsQgjgF2wxwyDp/4+H327Hs8RoZo2rLk8BsvSGI+dhpO+
            m5YbFNCRj5ddf9MASJXs5QA+PmamzqlLbOPTKU1YhUth3Sjz5hsNkAaYG73bm9lR
            WYJiGYkCgYEA9Qup/Li8iPq4/bgd9QHG+THYPJUI9sVaU4YpZYmS1KTk9GlmpXJn
            H7HZ/8qWemgbczhJLv6j5fml/W6FEDwu7o8DE20n6jtGsmwQrGoR98kmbbcDpsZo
            njTtxlbcOaU9x8zRh0T3J8w6j5QhlhFMq7WuqTa6hN6fg7pgdF2+eXcCgYEAwYtp
            f7eXV4+zqS59MULJRsb4g8cH/5mgyeJl60pXmmoep/Vt16NAkaD0JcxmxYlFDFjJ
            uf6Zgw9nkVP575A690MHUeUofFY++OwboUs3+Sjc8Pzly0CkFSw+CBPXkfv4eLr1
            2IBG0B45ei5xiqdOJAe2BP2iQVaTKDGZ0kLNe1UCgYA+Crr6Ooe5oslNq90h2FZZ
            Z45ZIF7JpAQPm6tFgwSDBFDXtQwBHasQckZApjldOpignoKg/GXg50lolh/okWRM
            kDb2Jy/w9RscN5ItJRnxg6NQKgMpqZh5XetJyVou2jB/MtNmDUcKc4HsMlQim7Su
            0Ows+adV1svKXVjofYepVwKBgQCK+mTjRR3zzkigb7WOLfsCS9YgKkdgDx0aWuv8
            rQGC7DjfOqmJcrzm1cD7c29I4W0nlIomeOAa8HDaNob+s37kFsmm0PrlbbkCXejp
            RW4ICIO+uJr5/IzWd1KD0lu1hE3Dw9zNfi9bOpjjV35IpiLCVJcrtkVQza4V6qge
            B8ItkQKBgGpHNrp8MKsa/KB2bC8qOpw52C+vTfFHljEmVPrxz4NsYVzy6lv8A//K
            /i7I1WPSUnSvexPC7PRQWHsHKoOjUgeiGVbMoF1RuseBjpnfpJqWAehfrWquQ3EH
            EeZ2qkfUsWha65dOIPFM64FOWKk4MJVLXYS9bIp/zhM7YDRuEXAv
            -----END RSA PRIVATE KEY-----
            """;

    static final String RSA_PKCS1_PUBLIC = """
            -----BEGIN RSA PUBLIC KEY-----
            MIIBCgKCAQEAuUM9eNy8of3PsjD1icGPjq2lzjeDp/at3iSU4Qp0v2G0/utHXSEJ
            cQLwIfWNxX5qbVpauEQgSodcLKuFmdLv2/IotHMYYNXnJYS0xVGuhTza7k4URpA4
            086PO+rz1UXAHQF5iVR0oY0pHvg5AX/qYepeI0/87RwhGouD3CkWiuB4JA9TEIiT
            o0kF6nBurlZJ2NduKj68Q1M2Zq9I1uKVLo9Q9DYH53pniLMpSVJJjDqz1fJR6sRV
            fpcoI+MeoECYZMEN6rNqElZ7Xc9mfCTVFXh5hy09mXlu4aldyDGvUvcMRrbxtZnB
            Xz43oOnUT5mHamcaDTigMZ8bMt8jluWBgwIDAQAB
            -----END RSA PUBLIC KEY-----
            """;

    /** As written by {@code openssl ecparam -name prime256v1 -genkey}: parameters block first. */
    static final String EC_SEC1_PRIVATE = """
            -----BEGIN EC PARAMETERS-----
            BggqhkjOPQMBBw==
            -----END EC PARAMETERS-----
            -----BEGIN EC PRIVATE KEY-----
            MHcCAQEEIOB20wZjvy6gq88Zxq/EiyiWPW/gt6MLKGsZy6ErT/d5oAoGCCqGSM49
            AwEHoUQDQgAEG41gN3uLs+NB4Qa6oHUf5Z7RHS+fIKi1JaWM0XbHNrxiZjcwNEi7
            zPah8viSWCcJfK6Ix6Z7HkZNH6H0vZSPtg==
            -----END EC PRIVATE KEY-----
            """;

    /** Self-signed certificate for the EC key above. */
    static final String EC_CERTIFICATE = """
            -----BEGIN CERTIFICATE-----
            MIIBdDCCARugAwIBAgIUIgWMil5KdM9Me3Rsmvc/8FiZq4EwCgYIKoZIzj0EAwIw
            DzENMAsGA1UEAwwEdGVzdDAgFw0yNjExMjMwOTI5MDJaGA8yMTI2MTAzMDA5Mjkw
            MlowDzENMAsGA1UEAwwEdGVzdDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABBuN
            YDd7i7PjQeEGuqB1H+We0R0vnyCotSWljNF2xza8YmY3MDRIu8z2ofL4klgnCXyu
            iMemex5GTR+h9L2Uj7ajUzBRMB0GA1UdDgQWBBRKHmmHgsA7MHdcHX0SvUBcThD+
            szAfBgNVHSMEGDAWgBRKHmmHgsA7MHdcHX0SvUBcThD+szAPBgNVHRMBAf8EBTAD
            AQH/MAoGCCqGSM49BAMCA0cAMEQCIAJrhB4Zppxw9IViM/S/3/atWOjbLXpaKjuS
            c5+R0+5tAiAkLPgNjKuvo5yiBA1/i4F4rs0efJhNm2wwS8DICpq/GQ==
            -----END CERTIFICATE-----
            """;

    static final String ENCRYPTED_PRIVATE = """
            -----BEGIN ENCRYPTED PRIVATE KEY-----
            MIHsMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAgE9CfgUBWvUQICCAAw
            DAYIKoZIhvcNAgkFADAdBglghkgBZQMEASoEENrYfUeOVnakoc+fuOaJx84EgZB7
            Lj5+kZuHgFxcuhRoN342/fgS/1Arr7tQ1say3loLbE66Oli7Ah+yrfadvwyeQ/dE
            G2md1Ni57xr6inEaFQMQnpfa9ndyjNxI2HpGUKu1Xo1lrJrnl30x5G4PEcgKCTUt
            GgskMBl9zUKhB8ahlFJkPcGi8uaZ6a24Kuwjgp3w6MQkL5OfWTSwcTvZSPu90mc=
            -----END ENCRYPTED PRIVATE KEY-----
            """;

    @Test
    void readsPkcs1RsaKeysThatMatchEachOther() throws Exception {
        PrivateKey privateKey = PemKeys.readPrivateKey(RSA_PKCS1_PRIVATE);
        PublicKey publicKey = PemKeys.readPublicKey(RSA_PKCS1_PUBLIC);

        assertThat(((RSAPrivateCrtKey) privateKey).getModulus()).isEqualTo(((RSAPublicKey) publicKey).getModulus());
        String token = TokenGenerator.privateKeyPem(RSA_PKCS1_PRIVATE).connectToken("p1", null, null, null);
        assertThat(JwtTokenVerifier.publicKeyPem(RSA_PKCS1_PUBLIC)
                        .verifyConnectToken(token)
                        .userId())
                .isEqualTo("p1");
    }

    @Test
    void readsSec1EcPrivateKeyAndCertificatePublicKey() throws Exception {
        assertThat(PemKeys.readPrivateKey(EC_SEC1_PRIVATE)).isInstanceOf(ECPrivateKey.class);
        assertThat(PemKeys.readPublicKey(EC_CERTIFICATE)).isInstanceOf(ECPublicKey.class);

        String token = TokenGenerator.privateKeyPem(EC_SEC1_PRIVATE).connectToken("ec", null, null, null);
        assertThat(JwtTokenVerifier.publicKeyPem(EC_CERTIFICATE)
                        .verifyConnectToken(token)
                        .userId())
                .isEqualTo("ec");
    }

    @Test
    void readsPkcs8AndSpkiKeysWrittenByTheJdk() {
        var pair = TestKeys.ec("secp256r1");

        assertThat(PemKeys.readPublicKey(TestKeys.pem(pair.getPublic()))).isEqualTo(pair.getPublic());
        assertThat(PemKeys.readPrivateKey(TestKeys.pem(pair.getPrivate())).getEncoded())
                .isEqualTo(pair.getPrivate().getEncoded());
    }

    @Test
    void refusesEncryptedGarbageAndMissingKeysWithoutQuotingThem() {
        assertThatThrownBy(() -> PemKeys.readPrivateKey(ENCRYPTED_PRIVATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("encrypted")
                .hasMessageNotContaining("MIHsMFcG");
        assertThatThrownBy(() -> PemKeys.readPublicKey(RSA_PKCS1_PRIVATE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("MIIEow");
        assertThatThrownBy(() -> PemKeys.readPublicKey("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        PemKeys.readPrivateKey("-----BEGIN EC PRIVATE KEY-----\nMAA=\n-----END EC PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() ->
                        PemKeys.readPrivateKey("-----BEGIN EC PRIVATE KEY-----\nMIA=\n-----END EC PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PemKeys.readPublicKey("")).isInstanceOf(IllegalArgumentException.class);
    }
}
