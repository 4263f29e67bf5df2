import { basicCredentials } from './oauth2-form-encoding.js';

describe('basicCredentials (RFC 6749 2.3.1)', () => {
  it('4: the RFC 6749 example encodes to the RFC value', () => {
    expect(basicCredentials('s6BhdRkqt3', '7Fjfp0ZBr1KtDRbnfVdmIw')).toBe(
      'czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3',
    );
  });

  it('4: a secret holding + / : = % ~ and a space is form-urlencoded before base64 and round-trips', () => {
    const secret = 'a+b/c:d=e%f~g h';
    const decoded = Buffer.from(basicCredentials('client:1', secret), 'base64').toString('utf8');
    const [id, encodedSecret] = decoded.split(':');
    expect(id).toBe('client%3A1');
    expect(encodedSecret).toBe('a%2Bb%2Fc%3Ad%3De%25f%7Eg+h');
    expect(decodeURIComponent(encodedSecret!.replace(/\+/g, ' '))).toBe(secret);
  });
});
